// The job summary: a pure markdown builder, and one function that writes it.
import * as core from '@actions/core'
import type {RunReport} from './types.js'

export function summaryMarkdown(report: RunReport): string {
  const parts = [headline(report), eventSection(report), tagsSection(report), labelsSection(report)]
  return parts.filter(p => p !== '').join('\n\n') + '\n'
}

export async function writeSummary(report: RunReport): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(report)).write()
}

function headline(r: RunReport): string {
  const seconds = (r.durationMs / 1000).toFixed(1)
  if (!r.ok) return `## ❌ Build failed (${seconds} s)\n\n${r.failure?.message ?? ''}`
  if (r.dryRun) return `## 🧪 Dry run: nothing built or pushed (${seconds} s)`
  return `## ✅ Build succeeded (${seconds} s)`
}

function eventSection(r: RunReport): string {
  if (!r.ctx) return ''
  const c = r.ctx
  const rows = [
    ['Event', c.eventName],
    ['Ref', c.ref],
    ['Commit', c.sha],
    ...(c.prNumber ? [['Pull request', `#${c.prNumber}${c.isFork ? ' (fork)' : ''}`]] : [])
  ]
  return table(['', ''], rows)
}

function tagsSection(r: RunReport): string {
  if (!r.meta) return ''
  const note = r.notPushedReason ? ` (not pushed: ${r.notPushedReason})` : ''
  return `### Tags${note}\n\n` + r.meta.refs.map(ref => `- \`${ref}\``).join('\n')
}

function labelsSection(r: RunReport): string {
  if (!r.meta || r.meta.labels.length === 0) return ''
  const rows = r.meta.labels.map(l => {
    const eq = l.indexOf('=')
    return [l.slice(0, eq), l.slice(eq + 1)]
  })
  return `<details><summary>Labels</summary>\n\n${table(['Label', 'Value'], rows)}\n\n</details>`
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
