// OCI labels and annotations (org.opencontainers.image.*), as metadata-action
// outputs them, merged with the user's `labels` and `annotations` (the user
// wins on the same key). Values may use the global expressions.
import type {GitContext} from '../context.js'
import {withInput} from './errors.js'
import {renderTemplate, type Scope} from './template.js'

const OCI = 'org.opencontainers.image'

/** The generated set, before user entries. `sha` is the commit the tags name. */
export function ociLabels(
  ctx: GitContext,
  version: string,
  now: Date,
  sha: string
): Map<string, string> {
  const repo = ctx.repository
  return new Map([
    [`${OCI}.title`, repo.name],
    [`${OCI}.description`, repo.description],
    [`${OCI}.url`, repo.htmlUrl],
    [`${OCI}.source`, repo.htmlUrl],
    [`${OCI}.version`, version],
    [`${OCI}.created`, now.toISOString()],
    [`${OCI}.revision`, sha],
    [`${OCI}.licenses`, repo.license]
  ])
}

/** KEY=VALUE lines sorted by key: the OCI set overridden by the user's labels. */
export function mergeLabels(oci: Map<string, string>, user: string[], scope: Scope): string[] {
  const merged = new Map(oci)
  for (const line of user) {
    const [key, value] = keyValue('labels', line, scope)
    merged.set(key, value)
  }
  return sorted(merged)
}

// buildx annotation levels; an entry may name one (with an optional [platform]).
const LEVEL = /^((?:manifest-descriptor|index-descriptor|manifest|index)(?:\[[^\]]*\])?):/
const DEFAULT_LEVEL = 'manifest'

/**
 * `level:KEY=VALUE` lines sorted: the OCI set at the manifest level, merged
 * with the user's annotations (without a level they are manifest ones too).
 */
export function mergeAnnotations(oci: Map<string, string>, user: string[], scope: Scope): string[] {
  const merged = new Map<string, string>()
  for (const [key, value] of oci) merged.set(`${DEFAULT_LEVEL}:${key}`, value)
  for (const line of user) {
    const [key, value] = keyValue('annotations', line, scope)
    merged.set(LEVEL.test(key) ? key : `${DEFAULT_LEVEL}:${key}`, value)
  }
  return sorted(merged)
}

function keyValue(input: string, line: string, scope: Scope): [string, string] {
  const eq = line.indexOf('=')
  const key = eq < 0 ? '' : line.slice(0, eq).trim()
  if (key === '' || key.replace(LEVEL, '') === '') {
    const example =
      input === 'labels'
        ? 'org.opencontainers.image.vendor=ACME'
        : 'index:org.opencontainers.image.vendor=ACME'
    throw new Error(`Input "${input}": "${line}" is not KEY=VALUE; write e.g. ${example}`)
  }
  const value = withInput(input, `"${line}"`, () => renderTemplate(line.slice(eq + 1), scope))
  return [key, value]
}

function sorted(entries: Map<string, string>): string[] {
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
}
