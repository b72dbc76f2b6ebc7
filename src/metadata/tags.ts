// Tags from `tags` rules, the way docker/metadata-action derives them: rules
// run in priority order, the first tag produced is the version, later ones
// follow it, and `latest` (flavor latest=auto) is decided by the first rule
// that produced a tag, then added last.
import type {GitContext} from '../context.js'
import {renderFlavor, type Affixes} from './affix.js'
import type {Candidate, RuleEnv, TagResult} from './derive.js'
import {withInput} from './errors.js'
import type {Flavor} from './flavor.js'
import {branchName, isPullRequest, pullNumber, shortSha, tagName} from './git.js'
import {matchRegExp, type TagRule, type TagType} from './rules.js'
import {droppedTagWarning, sanitizeTag, unique} from './sanitize.js'
import {globalScope} from './scope.js'
import {renderTemplate} from './template.js'
import {pep440Candidate, semverCandidate} from './versions.js'

type Producer = (rule: TagRule, env: RuleEnv) => Candidate | undefined

const PRODUCERS: Record<TagType, Producer> = {
  schedule: scheduleCandidate,
  semver: semverCandidate,
  pep440: pep440Candidate,
  match: matchCandidate,
  edge: edgeCandidate,
  ref: refCandidate,
  raw: (rule, env) => ({value: renderTemplate(rule.value, env.scope), latest: false}),
  sha: shaCandidate
}

/** `sha` is the commit to name (GitContext.sha, or the PR head with prHeadSha). */
export function tagsFromRules(
  rules: TagRule[],
  flavor: Flavor,
  ctx: GitContext,
  now: Date,
  sha: string
): TagResult {
  const env: RuleEnv = {ctx, sha, scope: globalScope(ctx, now, sha), warnings: []}
  const affixes = renderFlavor(flavor, env.scope)
  const produced: Candidate[] = []
  for (const rule of [...rules].sort((a, b) => b.priority - a.priority)) {
    const tag = withInput('tags', `rule "${rule.line}"`, () => ruleTag(rule, env, affixes))
    if (tag !== undefined) produced.push(tag)
  }
  if (produced.length === 0) return {tags: [], version: '', warnings: env.warnings}
  const latest = flavor.latest === 'auto' ? produced[0].latest : flavor.latest
  const tags = produced.map(c => c.value).concat(latest ? [affixes.latest] : [])
  return {tags: unique(tags), version: produced[0].value, warnings: env.warnings}
}

/** The rule's final tag (affixed, sanitised), or undefined when it makes none here. */
function ruleTag(rule: TagRule, env: RuleEnv, affixes: Affixes): Candidate | undefined {
  if (!isEnabled(rule, env)) return undefined
  const candidate = PRODUCERS[rule.type](rule, env)
  if (candidate === undefined) return undefined
  const prefix = rule.prefix === undefined ? affixes.prefix : renderTemplate(rule.prefix, env.scope)
  const suffix = rule.suffix === undefined ? affixes.suffix : renderTemplate(rule.suffix, env.scope)
  const full = `${prefix}${candidate.value}${suffix}`
  if (full === '') return undefined
  const value = sanitizeTag(full)
  if (value === '') {
    env.warnings.push(droppedTagWarning(full, `rule "${rule.line}"`))
    return undefined
  }
  return {value, latest: candidate.latest}
}

function isEnabled(rule: TagRule, env: RuleEnv): boolean {
  const enabled = renderTemplate(rule.enable, env.scope)
  if (enabled !== 'true' && enabled !== 'false') {
    throw new Error(`enable "${rule.enable}" gave "${enabled}"; it must give true or false`)
  }
  return enabled === 'true'
}

function scheduleCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  if (!/schedule/.test(env.ctx.eventName)) return undefined
  return {value: renderTemplate(rule.pattern, env.scope), latest: false}
}

function matchCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  const source = rule.value !== '' ? renderTemplate(rule.value, env.scope) : tagName(env.ctx)
  if (source === '') return undefined
  const pattern = renderTemplate(rule.pattern, env.scope)
  const match = source.match(matchRegExp(pattern))
  if (match === null) {
    env.warnings.push(
      `Pattern "${pattern}" does not match "${source}", so rule "${rule.line}" made no tag`
    )
    return undefined
  }
  const group = match[rule.group]
  if (group === undefined) {
    env.warnings.push(
      `Group ${rule.group} does not exist in "${pattern}" for "${source}", so rule "${rule.line}" made no tag`
    )
    return undefined
  }
  return {value: group, latest: true}
}

function edgeCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  const branch = branchName(env.ctx)
  const target = renderTemplate(rule.branch, env.scope) || env.ctx.defaultBranch
  if (branch === '' || branch !== target) return undefined
  return {value: 'edge', latest: false}
}

function refCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  const ctx = env.ctx
  if (rule.event === 'branch') {
    const branch = branchName(ctx)
    return branch === '' ? undefined : {value: branch, latest: false}
  }
  if (rule.event === 'tag') {
    const tag = tagName(ctx)
    return tag === '' ? undefined : {value: tag, latest: true}
  }
  const pr = pullNumber(ctx)
  return isPullRequest(ctx) && pr > 0 ? {value: String(pr), latest: false} : undefined
}

function shaCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  if (env.sha === '') return undefined
  return {value: rule.format === 'long' ? env.sha : shortSha(env.sha), latest: false}
}
