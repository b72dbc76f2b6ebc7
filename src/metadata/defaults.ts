// The default tag strategy of DESIGN.md, used when the `tags` input is empty:
//   default branch   latest, dev-YYYYMMDD-HHMMSS, commit-<sha7>
//   other branch     feature-<branch>, dev-..., commit-<sha7>
//   semver tag       v1.2.3, v1.2, v1 (not v0), latest, [<env>-v1.2.3], commit-<sha7>
//   prerelease       v1.3.0-rc.1, [<env>-v1.3.0-rc.1], commit-<sha7>
//   other tag        <tag>, commit-<sha7>
//   pull request     pr-<N>, test-<sha7 of the PR head>
// workflow_dispatch and schedule on a branch count as a push to that branch.
import * as semver from 'semver'
import type {GitContext} from '../context.js'
import {renderFlavor, type Affixes} from './affix.js'
import type {TagResult} from './derive.js'
import type {Flavor} from './flavor.js'
import {branchName, isPullRequest, pullNumber, shortSha, tagName} from './git.js'
import {droppedTagWarning, sanitizeTag, slug, unique} from './sanitize.js'
import {globalScope} from './scope.js'

/** Stands for `latest` in the list until the flavor's affixes are known. */
const LATEST = Symbol('latest')
type Entry = string | typeof LATEST

export function defaultTags(
  ctx: GitContext,
  now: Date,
  environment: string,
  flavor: Flavor
): TagResult {
  const warnings: string[] = []
  const entries = applyLatest(eventEntries(ctx, now, environment, warnings), flavor.latest)
  const affixes = renderFlavor(flavor, globalScope(ctx, now, ctx.sha))
  const tags = unique(entries.flatMap(e => finish(e, affixes, warnings)))
  const latest = affixes.latest
  return {tags, version: tags.find(t => t !== latest) ?? tags[0] ?? '', warnings}
}

function eventEntries(ctx: GitContext, now: Date, env: string, warnings: string[]): Entry[] {
  if (isPullRequest(ctx)) {
    return [`pr-${pullNumber(ctx)}`, `test-${shortSha(ctx.headSha || ctx.sha)}`]
  }
  const commit = ctx.sha === '' ? [] : [`commit-${shortSha(ctx.sha)}`]
  const tag = tagName(ctx)
  if (tag !== '') return [...releaseEntries(tag, env), ...commit]
  const dev = `dev-${utcStamp(now)}`
  if (branchName(ctx) === '') return [dev, ...commit]
  if (branchName(ctx) === ctx.defaultBranch) return [LATEST, dev, ...commit]
  return [...featureEntry(branchName(ctx), warnings), dev, ...commit]
}

/** A semver tag gets its minor and major lines and latest; anything else just itself. */
function releaseEntries(tag: string, environment: string): Entry[] {
  const version = semver.valid(tag) ? semver.parse(tag) : null
  if (version === null) return [tag]
  const envTag = slug(environment) === '' ? [] : [`${slug(environment)}-${tag}`]
  if (version.prerelease.length > 0) return [tag, ...envTag]
  const v = tag.startsWith('v') ? 'v' : ''
  const minor = `${v}${version.major}.${version.minor}`
  const major = version.major === 0 ? [] : [`${v}${version.major}`]
  return [tag, minor, ...major, LATEST, ...envTag]
}

/** `feature-` + the branch as a tag part, without doubling a leading `feature-`. */
function featureEntry(branch: string, warnings: string[]): Entry[] {
  const part = slug(branch)
  if (part === '') {
    warnings.push(
      `Branch "${branch}" has no characters usable in a Docker tag; it gets no branch tag`
    )
    return []
  }
  return [/^feature(-|$)/i.test(part) ? part : `feature-${part}`]
}

/** flavor latest=false drops latest; latest=true adds it (after the first tag) where missing. */
function applyLatest(entries: Entry[], latest: Flavor['latest']): Entry[] {
  if (latest === false) return entries.filter(e => e !== LATEST)
  if (latest === 'auto' || entries.includes(LATEST)) return entries
  return [...entries.slice(0, 1), LATEST, ...entries.slice(1)]
}

function finish(entry: Entry, affixes: Affixes, warnings: string[]): string[] {
  if (entry === LATEST) return [affixes.latest]
  const full = `${affixes.prefix}${entry}${affixes.suffix}`
  const tag = sanitizeTag(full)
  if (tag === '') warnings.push(droppedTagWarning(full, 'the default tags'))
  return tag === '' ? [] : [tag]
}

/** YYYYMMDD-HHMMSS in UTC, straight from the ISO form (no date library on the hot path). */
export function utcStamp(date: Date): string {
  const iso = date.toISOString() // 2026-12-04T16:00:56.750Z
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`
}
