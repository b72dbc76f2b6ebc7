// The job summary: a pure markdown builder, and one function that writes it.
// What people read instead of the log: what was built, where it went, how,
// and, when it failed, why. Everything passes through redact() last.
import * as core from '@actions/core'
import type {GitContext} from '../context.js'
import {redact} from './redact.js'
import type {BuilderReport, Failure, FailureKind, Phase, PlatformSize, RunReport} from './types.js'

export function summaryMarkdown(report: RunReport, secrets: string[] = []): string {
  const parts = [
    headline(report),
    report.ok ? '' : failureSection(report),
    overview(report),
    pushedSection(report),
    sizesSection(report.sizes),
    tagsSection(report),
    labelsSection(report)
  ]
  const markdown = parts.filter(p => p !== '').join('\n\n') + '\n'
  // Secrets may sit in table cells too, where they were escaped.
  return redact(
    markdown,
    secrets.flatMap(s => [s, escapeCell(s), escapeHtml(s)])
  )
}

export async function writeSummary(report: RunReport, secrets: string[] = []): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(report, secrets)).write()
}

// --- headline and failure ----------------------------------------------------

function headline(r: RunReport): string {
  const took = `(${formatDuration(r.durationMs)})`
  if (!r.ok) {
    return `## ❌ Build failed: ${failureLabel(r.failure?.kind ?? 'internal')} ${took}`
  }
  if (r.dryRun) return `## 🧪 Dry run: nothing built or pushed ${took}`
  const title =
    r.pushed.length > 0
      ? `## ✅ Built and pushed ${plural(r.pushed.length, 'tag')} ${took}`
      : `## ✅ Built, not pushed (${r.notPushedReason || 'no push'}) ${took}`
  const warning = r.builder && isFallback(r.builder) ? `\n\n> ⚠️ ${fallbackText(r.builder)}` : ''
  return title + warning
}

const FAILURE_LABELS: Record<FailureKind, string> = {
  input: 'invalid input',
  login: 'registry login',
  builder: 'BuildKit builder',
  dockerfile: 'Dockerfile',
  build: 'build',
  push: 'push to the registry',
  internal: 'internal error'
}

const FAILURE_HINTS: Record<FailureKind, string> = {
  input: 'Fix the input the message names; nothing was built.',
  login: 'Check the `username` and `password` inputs and the token’s package permissions.',
  builder:
    'The BuildKit host could not be used, and no build on the runner took over (`fallback: false`, or that build was lost too).',
  dockerfile: 'The Dockerfile failed; the build log below shows the failing step.',
  build: 'buildx failed; the build log below shows where.',
  push: 'The image was built but the registry refused or dropped the push; check the credentials and the registry.',
  internal: 'This looks like a bug in the action; please report it with the log.'
}

/** What failed, in words for people ("Dockerfile", "registry login", ...). */
export function failureLabel(kind: FailureKind): string {
  return FAILURE_LABELS[kind]
}

function failureSection(r: RunReport): string {
  const f: Failure = r.failure ?? {kind: 'internal', message: 'the run failed without an error'}
  const where = f.file ? ` at ${locationLink(f, r.ctx)}` : ''
  const parts = [
    `**What failed:** ${failureLabel(f.kind)}${where}. ${FAILURE_HINTS[f.kind]}`,
    fence(stripAnsi(f.message))
  ]
  if (f.logTail && f.logTail.length > 0) {
    parts.push(
      `<details><summary>Last ${plural(f.logTail.length, 'line')} of the build log</summary>\n\n` +
        `${fence(stripAnsi(f.logTail.join('\n')))}\n\n</details>`
    )
  }
  return parts.join('\n\n')
}

/** `Dockerfile:6`, linked to the line in the repository when the path is a plain relative one. */
function locationLink(f: Failure, ctx: GitContext | undefined): string {
  const path = (f.file ?? '').replace(/^\.\//, '')
  const label = code(f.line ? `${path}:${f.line}` : path)
  const linkable =
    ctx?.repository.htmlUrl && ctx.sha && !path.startsWith('/') && !path.includes('..')
  if (!linkable) return label
  const anchor = f.line ? `#L${f.line}` : ''
  return `[${label}](${ctx.repository.htmlUrl}/blob/${ctx.sha}/${encodeURI(path)}${anchor})`
}

// --- overview: trigger, builder, platforms, digest, cache, timings -------------

function overview(r: RunReport): string {
  const rows: string[][] = []
  const c = r.ctx
  if (c) {
    rows.push(['Event', escapeHtml(c.eventName)], ['Ref', code(c.ref)], ['Commit', code(c.sha)])
    if (c.prNumber) rows.push(['Pull request', `#${c.prNumber}${c.isFork ? ' (fork)' : ''}`])
  }
  if (r.builder) rows.push(['Builder', builderCell(r.builder)])
  if (r.platforms.length > 0) rows.push(['Platforms', r.platforms.map(code).join(', ')])
  if (r.digest) rows.push(['Digest', code(r.digest)])
  if (r.cache) rows.push(['Cache', cacheText(r.cache)])
  const phases = phasesText(r.phases)
  if (phases) rows.push(['Time', phases])
  if (rows.length === 0) return ''
  return table(['', ''], rows)
}

function builderCell(b: BuilderReport): string {
  if (b.kind === 'remote') {
    const endpoints = b.endpoint.split('\n').filter(Boolean)
    const lines = endpoints.map(e => {
      // buildx inspect names a remote node by its endpoint; one node needs no matching.
      const node =
        b.nodes.find(n => n.endpoint === e) ?? (endpoints.length === 1 ? b.nodes[0] : undefined)
      const version = buildkitVersion(node)
      return `${code(e)}${version ? ` (${version})` : ''}`
    })
    return `remote BuildKit ${lines.join('<br>')}`
  }
  const version = buildkitVersion(b.nodes[0])
  const local = `buildx on the runner (builder ${code(b.endpoint)}${version ? `, ${version}` : ''})`
  if (!isFallback(b)) return `${local}: no buildkit-host given`
  return `⚠️ ${local}, **fallback**: ${escapeHtml(b.fallbackReason)}`
}

function buildkitVersion(node: BuilderReport['nodes'][number] | undefined): string {
  return node?.buildkitVersion ? `BuildKit ${escapeHtml(node.buildkitVersion)}` : ''
}

/** A runner build is a fallback when a remote host was meant to build (then it has a reason). */
export function isFallback(b: BuilderReport | undefined): boolean {
  return b?.kind === 'fallback' && b.fallbackReason !== ''
}

function fallbackText(b: BuilderReport): string {
  return `Built with buildx on the runner instead of the remote BuildKit host: ${escapeHtml(b.fallbackReason)}`
}

/** One line about the builder, for ntfy: "remote tcp://a:1234 (BuildKit v0.23.0)" or the runner. */
export function builderSummary(b: BuilderReport | undefined): string {
  if (!b) return ''
  if (b.kind === 'remote') {
    const version = b.nodes[0]?.buildkitVersion
    return `remote ${b.endpoint.split('\n').join(', ')}${version ? ` (BuildKit ${version})` : ''}`
  }
  return isFallback(b) ? `runner (fallback: ${b.fallbackReason})` : 'runner'
}

function cacheText(cache: NonNullable<RunReport['cache']>): string {
  if (cache.total === 0) return 'no cacheable steps'
  const percent = Math.round((cache.cached / cache.total) * 100)
  return `${cache.cached} of ${plural(cache.total, 'step')} cached (${percent}%)`
}

const PHASES: Phase[] = ['login', 'builder', 'build', 'push']

function phasesText(phases: RunReport['phases']): string {
  return PHASES.filter(p => phases[p] !== undefined)
    .map(p => `${p} ${formatDuration(phases[p] ?? 0)}`)
    .join(' · ')
}

// --- where the image went ----------------------------------------------------

function pushedSection(r: RunReport): string {
  if (r.pushed.length === 0) return ''
  const rows = r.pushed.map(ref => {
    const url = packageUrl(ref, r.ctx)
    return [code(ref), url ? `[package page](${url})` : '']
  })
  const hasLinks = rows.some(row => row[1] !== '')
  const body = hasLinks
    ? table(['Pushed', 'On GitHub'], rows)
    : table(
        ['Pushed'],
        rows.map(row => [row[0]])
      )
  const pin = r.digest ? `\n\nPull by digest: ${code(`${imageName(r.pushed[0])}@${r.digest}`)}` : ''
  return `### Pushed\n\n${body}${pin}`
}

/**
 * The GHCR package page of a ghcr.io image, '' when not known.
 *
 * GitHub has two URL shapes: /users/<owner>/packages/container/package/<name>
 * and /orgs/<owner>/..., which need to know whether the owner is a user or an
 * organisation (the wrong one is a 404), and /<owner>/<repo>/pkgs/container/<name>,
 * which works for both once the package is connected to the repository. It is
 * here: images pushed from a workflow carry org.opencontainers.image.source
 * (the metadata stage sets it), which connects them to the workflow's
 * repository. So this shape is used, for images under the repository's owner;
 * a nested name (owner/app/web) is the package "app/web", with the slash encoded.
 */
export function packageUrl(ref: string, ctx: GitContext | undefined): string {
  if (!ctx?.repository.htmlUrl || !ctx.repository.owner) return ''
  const [host, owner, ...rest] = imageName(ref).split('/')
  if (host !== 'ghcr.io' || rest.length === 0) return ''
  if (owner !== ctx.repository.owner.toLowerCase()) return ''
  return `${ctx.repository.htmlUrl}/pkgs/container/${encodeURIComponent(rest.join('/'))}`
}

/** The image name of a ref: no tag, no digest (a registry port's colon stays). */
export function imageName(ref: string): string {
  const noDigest = ref.split('@')[0]
  const slash = noDigest.lastIndexOf('/')
  const colon = noDigest.lastIndexOf(':')
  return colon > slash ? noDigest.slice(0, colon) : noDigest
}

function sizesSection(sizes: PlatformSize[]): string {
  if (sizes.length === 0) return ''
  const rows = sizes.map(s => [
    code(s.platform),
    `<span title="${s.bytes} bytes">${formatBytes(s.bytes)}</span>`
  ])
  return `### Image size\n\nCompressed layers, as pulled from the registry.\n\n${table(['Platform', 'Size'], rows)}`
}

function tagsSection(r: RunReport): string {
  if (!r.meta || r.pushed.length > 0) return ''
  const reason = r.notPushedReason || (r.ok ? '' : 'the build failed')
  const note = reason ? ` (not pushed: ${escapeHtml(reason)})` : ''
  return `### Tags${note}\n\n` + r.meta.refs.map(ref => `- ${code(ref)}`).join('\n')
}

function labelsSection(r: RunReport): string {
  if (!r.meta || r.meta.labels.length === 0) return ''
  const rows = r.meta.labels.map(l => {
    const eq = l.indexOf('=')
    return [code(l.slice(0, eq)), escapeHtml(l.slice(eq + 1))]
  })
  return `<details><summary>Labels</summary>\n\n${table(['Label', 'Value'], rows)}\n\n</details>`
}

// --- formatting ----------------------------------------------------------------

/** Bytes in decimal units with one decimal (as docker and registries count): 12.3 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes / 1000
  let unit = 0
  // Round first, so 999.96 kB becomes 1.0 MB, not "1000.0 kB".
  while (Number(value.toFixed(1)) >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** 850 ms, 12.3 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** An inline code span that survives backticks in the text (git refs may hold them). */
function code(s: string): string {
  const ticks = '`'.repeat(longestRun(s, '`') + 1)
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : ''
  return `${ticks}${pad}${s}${pad}${ticks}`
}

/** A fenced block longer than any backtick run inside, so log text cannot close it. */
function fence(text: string): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text, '`') + 1))
  return `${ticks}text\n${text}\n${ticks}`
}

function longestRun(s: string, ch: string): number {
  let longest = 0
  let run = 0
  for (const c of s) {
    run = c === ch ? run + 1 : 0
    longest = Math.max(longest, run)
  }
  return longest
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
}
