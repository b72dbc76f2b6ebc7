// The `tags` input: docker/metadata-action's rule syntax, one rule per line,
// e.g. `type=semver,pattern={{version}}`, parsed and checked once so that a
// mistake fails the step with a clear message before anything is built.
import {splitAttribute, splitFields} from './csv.js'
import {inputError, withInput} from './errors.js'
import {GLOBAL_NAMES} from './scope.js'
import {checkTemplate} from './template.js'

export type TagType = 'schedule' | 'semver' | 'pep440' | 'match' | 'edge' | 'ref' | 'raw' | 'sha'
export type RefEvent = 'branch' | 'tag' | 'pr'
export type ShaFormat = 'short' | 'long'

export interface TagRule {
  type: TagType
  /** The rule as written, for messages. */
  line: string
  /** Higher first; the first tag produced is the version. */
  priority: number
  /** Template that renders to `true` or `false`. */
  enable: string
  /** Rule prefix/suffix (templates); undefined = the flavor's applies. */
  prefix?: string
  suffix?: string
  /** schedule (default `nightly`), semver, pep440, match; '' for other types. */
  pattern: string
  /** semver, pep440, match (instead of the Git tag), raw; '' when not given. */
  value: string
  /** ref only. */
  event?: RefEvent
  /** match: capture group, default 0. */
  group: number
  /** edge: the branch that gets `edge`; '' = the default branch. */
  branch: string
  /** sha: short (7 characters, default) or long. */
  format: ShaFormat
}

export const TAG_TYPES: TagType[] = [
  'schedule',
  'semver',
  'pep440',
  'match',
  'edge',
  'ref',
  'raw',
  'sha'
]

export const DEFAULT_PRIORITY: Record<TagType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100
}

const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix']
const ATTRIBUTES: Record<TagType, string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value'],
  pep440: ['pattern', 'value'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format']
}

// Names a pattern may use besides the global expressions.
const VERSION_NAMES = ['raw', 'version', 'major', 'minor', 'patch']

type Attributes = Record<string, string>

/** Parses the `tags` lines (already split, trimmed, without empty lines), sorted by priority. */
export function parseTagRules(lines: string[]): TagRule[] {
  const rules = lines.map(parseTagRule)
  // Array.prototype.sort is stable: equal priorities keep their input order.
  return rules.sort((a, b) => b.priority - a.priority)
}

export function parseTagRule(line: string): TagRule {
  const fail = (problem: string): Error => inputError('tags', `rule "${line}"`, problem)
  const attrs = withInput('tags', `rule "${line}"`, () => readAttributes(line))
  const type = ruleType(attrs, fail)
  checkAttributes(type, attrs, fail)
  const rule: TagRule = {
    type,
    line,
    priority: priority(attrs, type, fail),
    enable: attrs.enable ?? 'true',
    prefix: attrs.prefix ?? defaultPrefix(type, attrs.event),
    suffix: attrs.suffix,
    pattern: attrs.pattern ?? (type === 'schedule' ? 'nightly' : ''),
    value: attrs.value ?? '',
    event: undefined,
    group: 0,
    branch: attrs.branch ?? '',
    format: 'short'
  }
  checkTypeSpecific(rule, attrs, fail)
  withInput('tags', `rule "${line}"`, () => checkTemplates(rule))
  return rule
}

/** metadata-action's built-in prefixes; a rule with one ignores the flavor's prefix. */
function defaultPrefix(type: TagType, event: string | undefined): string | undefined {
  if (type === 'sha') return 'sha-'
  if (type === 'ref' && event === 'pr') return 'pr-'
  return undefined
}

/** Fields -> attributes; a field without `=` is the value (`type=raw,foo`, or just `foo`). */
function readAttributes(line: string): Attributes {
  const attrs: Attributes = {}
  for (const field of splitFields(line)) {
    if (field === '') continue
    const [key = 'value', value] = splitAttribute(field)
    if (Object.hasOwn(attrs, key)) {
      throw new Error(`attribute "${key}" is given twice; give it once`)
    }
    attrs[key] = value
  }
  return attrs
}

function ruleType(attrs: Attributes, fail: (p: string) => Error): TagType {
  const type = attrs.type ?? 'raw'
  if (!(TAG_TYPES as string[]).includes(type)) {
    throw fail(`unknown type "${type}"; expected type=${TAG_TYPES.join(', type=')}`)
  }
  return type as TagType
}

function checkAttributes(type: TagType, attrs: Attributes, fail: (p: string) => Error): void {
  const allowed = [...COMMON, ...ATTRIBUTES[type]]
  for (const key of Object.keys(attrs)) {
    if (!allowed.includes(key)) {
      const list = allowed.filter(k => k !== 'type').join(', ')
      throw fail(`attribute "${key}" is not known for type=${type}; it takes ${list}`)
    }
  }
}

function priority(attrs: Attributes, type: TagType, fail: (p: string) => Error): number {
  const given = attrs.priority
  if (given === undefined) return DEFAULT_PRIORITY[type]
  if (!/^-?\d+$/.test(given)) {
    throw fail(
      `priority "${given}" is not a whole number; use e.g. priority=${DEFAULT_PRIORITY[type]}`
    )
  }
  return Number(given)
}

function checkTypeSpecific(rule: TagRule, attrs: Attributes, fail: (p: string) => Error): void {
  switch (rule.type) {
    case 'semver':
    case 'pep440':
      requirePattern(rule, attrs, '{{version}}', fail)
      break
    case 'match':
      requirePattern(rule, attrs, 'v(.*),group=1', fail)
      rule.group = matchGroup(attrs.group, fail)
      if (!rule.pattern.includes('{{'))
        withInput('tags', `rule "${rule.line}"`, () => matchRegExp(rule.pattern))
      break
    case 'ref':
      rule.event = refEvent(attrs.event, fail)
      break
    case 'raw':
      if (attrs.value === undefined) {
        throw fail('type=raw needs a value; write e.g. type=raw,value=latest (or just latest)')
      }
      break
    case 'sha':
      rule.format = shaFormat(attrs.format, fail)
      break
  }
  checkEnable(rule.enable, fail)
}

function requirePattern(
  rule: TagRule,
  attrs: Attributes,
  example: string,
  fail: (p: string) => Error
): void {
  if (attrs.pattern === undefined || attrs.pattern === '') {
    throw fail(`type=${rule.type} needs a pattern; write e.g. type=${rule.type},pattern=${example}`)
  }
}

function matchGroup(given: string | undefined, fail: (p: string) => Error): number {
  if (given === undefined) return 0
  if (!/^\d+$/.test(given)) {
    throw fail(`group "${given}" is not a capture group number; use e.g. group=1`)
  }
  return Number(given)
}

/** A match pattern as a RegExp: `/body/flags`, or the whole pattern as the body. */
export function matchRegExp(pattern: string): RegExp {
  const literal = /^\/(.+)\/(\w*)$/.exec(pattern)
  try {
    return literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern)
  } catch (err) {
    throw new Error(
      `pattern "${pattern}" is not a valid regular expression (${(err as Error).message})`
    )
  }
}

const REF_EVENTS: RefEvent[] = ['branch', 'tag', 'pr']

function refEvent(given: string | undefined, fail: (p: string) => Error): RefEvent {
  if (given === undefined) {
    throw fail('type=ref needs an event; add event=branch, event=tag or event=pr')
  }
  if (!(REF_EVENTS as string[]).includes(given)) {
    throw fail(`event "${given}" is not known; use event=branch, event=tag or event=pr`)
  }
  return given as RefEvent
}

function shaFormat(given: string | undefined, fail: (p: string) => Error): ShaFormat {
  if (given === undefined) return 'short'
  if (given !== 'short' && given !== 'long') {
    throw fail(`format "${given}" is not known; use format=short or format=long`)
  }
  return given
}

/** A literal enable must be true or false; one with {{...}} is checked when rendered. */
function checkEnable(enable: string, fail: (p: string) => Error): void {
  if (!enable.includes('{{') && enable !== 'true' && enable !== 'false') {
    throw fail(
      `enable "${enable}" must be true or false (or an expression like {{is_default_branch}})`
    )
  }
}

/** Syntax and names of every template in the rule, so typos fail before the build. */
function checkTemplates(rule: TagRule): void {
  const versioned = ['semver', 'pep440'].includes(rule.type)
  const patternNames = versioned ? [...GLOBAL_NAMES, ...VERSION_NAMES] : GLOBAL_NAMES
  checkTemplate(rule.pattern, patternNames)
  for (const t of [rule.value, rule.enable, rule.prefix ?? '', rule.suffix ?? '', rule.branch]) {
    checkTemplate(t, GLOBAL_NAMES)
  }
}
