// type=semver and type=pep440: version tags from the Git tag (or `value`).
// Prereleases only get the full version (or {{raw}}), never `latest`; a
// pattern that shows only the major is skipped for major 0 ("0" promises
// nothing, see DESIGN.md; metadata-action leaves that to an enable= condition).
import * as pep440 from '@renovatebot/pep440'
import * as semver from 'semver'
import type {TagRule} from './rules.js'
import type {Candidate, RuleEnv} from './derive.js'
import {tagName} from './git.js'
import {expressionNames, isSingleExpression, renderTemplate} from './template.js'

type VersionNames = Record<'raw' | 'version' | 'major' | 'minor' | 'patch', string>

export function semverCandidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  const raw = versionSource(rule, env)
  if (raw === undefined) return undefined
  const parsed = semver.valid(raw) ? semver.parse(raw, {loose: true}) : null
  if (parsed === null) {
    env.warnings.push(
      `"${raw}" is not a valid semver version (https://semver.org), so rule "${rule.line}" made no tag`
    )
    return undefined
  }
  const names: VersionNames = {
    raw: parsed.raw,
    version: parsed.version,
    major: String(parsed.major),
    minor: String(parsed.minor),
    patch: String(parsed.patch)
  }
  if (parsed.prerelease.length > 0) {
    return {value: render(prereleasePattern(rule.pattern), names, env), latest: false}
  }
  if (showsOnlyMajor(rule.pattern) && parsed.major === 0) return undefined
  return {value: render(rule.pattern, names, env), latest: true}
}

export function pep440Candidate(rule: TagRule, env: RuleEnv): Candidate | undefined {
  const raw = versionSource(rule, env)
  if (raw === undefined) return undefined
  const info = pep440.valid(raw) ? pep440.explain(raw) : null
  if (info === null) {
    env.warnings.push(
      `"${raw}" is not a PEP 440 version (https://peps.python.org/pep-0440/), so rule "${rule.line}" made no tag`
    )
    return undefined
  }
  const version = pep440.clean(raw) ?? raw
  if (info.is_prerelease || info.is_postrelease || info.is_devrelease) {
    const value = isSingleExpression(rule.pattern, 'raw') ? raw : version
    return {value, latest: false}
  }
  const major = pep440.major(raw)
  if (showsOnlyMajor(rule.pattern) && major === 0) return undefined
  const names: VersionNames = {
    raw,
    version,
    major: String(major),
    minor: String(pep440.minor(raw)),
    patch: String(pep440.patch(raw))
  }
  return {value: render(rule.pattern, names, env), latest: true}
}

/** `value` when given, else the pushed Git tag (slashes as dashes); undefined when neither. */
function versionSource(rule: TagRule, env: RuleEnv): string | undefined {
  if (rule.value !== '') return renderTemplate(rule.value, env.scope)
  const tag = tagName(env.ctx)
  return tag === '' ? undefined : tag.replace(/\//g, '-')
}

function prereleasePattern(pattern: string): string {
  return isSingleExpression(pattern, 'raw') ? pattern : '{{version}}'
}

function showsOnlyMajor(pattern: string): boolean {
  const names = expressionNames(pattern)
  const finer = ['minor', 'patch', 'version', 'raw']
  return names.includes('major') && !names.some(n => finer.includes(n))
}

function render(pattern: string, names: VersionNames, env: RuleEnv): string {
  return renderTemplate(pattern, {...env.scope, ...names})
}
