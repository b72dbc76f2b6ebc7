// A small evaluator for metadata-action's Handlebars expressions: `{{name}}`
// and `{{helper 'arg' key='value'}}`. Only what the rule syntax uses; no
// Handlebars dependency, and unknown names are errors instead of silently
// rendering as '' (a typo should not produce a surprising tag).

/** A helper such as `date`: quoted positional arguments and key='value' options. */
export type Helper = (args: string[], options: Record<string, string>) => string
export type Scope = Record<string, string | Helper>

interface Expression {
  name: string
  args: string[]
  options: Record<string, string>
  source: string
}
type Part = string | Expression

const OPEN = '{{'
const CLOSE = '}}'

/** Splits a template into literal text and expressions; throws on bad syntax. */
export function parseTemplate(template: string): Part[] {
  const parts: Part[] = []
  let rest = template
  for (let open = rest.indexOf(OPEN); open >= 0; open = rest.indexOf(OPEN)) {
    const close = rest.indexOf(CLOSE, open + OPEN.length)
    if (close < 0) {
      throw new Error(`"${rest.slice(open)}" opens {{ but never closes it with }}`)
    }
    if (open > 0) parts.push(rest.slice(0, open))
    parts.push(parseExpression(rest.slice(open, close + CLOSE.length)))
    rest = rest.slice(close + CLOSE.length)
  }
  if (rest !== '') parts.push(rest)
  return parts
}

// A token: optional `key=`, then a 'quoted', "quoted" or bare word.
const TOKEN = /\s*(?:([A-Za-z_][\w-]*)=)?(?:'([^']*)'|"([^"]*)"|([^\s'"=]+))\s*/y

function parseExpression(source: string): Expression {
  const body = source.slice(OPEN.length, -CLOSE.length)
  const expr: Expression = {name: '', args: [], options: {}, source}
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(body)
    if (!m) {
      throw new Error(`cannot read ${source} at "${body.slice(at)}"`)
    }
    addToken(expr, m)
  }
  if (expr.name === '') {
    throw new Error(`${source} is an empty expression`)
  }
  return expr
}

function addToken(expr: Expression, m: RegExpExecArray): void {
  const [, key, single, double, bare] = m
  const quoted = single ?? double
  if (expr.name === '') {
    if (key !== undefined || bare === undefined || !/^[A-Za-z_]\w*$/.test(bare)) {
      throw new Error(`${expr.source} must start with a name such as {{version}}`)
    }
    expr.name = bare
  } else if (quoted === undefined) {
    throw new Error(`${expr.source}: put "${bare}" in quotes, e.g. {{date 'YYYYMMDD'}}`)
  } else if (key !== undefined) {
    expr.options[key] = quoted
  } else {
    expr.args.push(quoted)
  }
}

/** Names used in a template, e.g. ['major', 'minor']. */
export function expressionNames(template: string): string[] {
  return parseTemplate(template).flatMap(p => (typeof p === 'string' ? [] : [p.name]))
}

/** True when the template is exactly one `{{name}}`. */
export function isSingleExpression(template: string, name: string): boolean {
  const parts = parseTemplate(template.trim())
  return parts.length === 1 && typeof parts[0] !== 'string' && parts[0].name === name
}

/** Throws when the template has bad syntax or uses a name outside `known`. */
export function checkTemplate(template: string, known: string[]): void {
  for (const name of expressionNames(template)) {
    if (!known.includes(name)) throw unknownName(name, known)
  }
}

export function renderTemplate(template: string, scope: Scope): string {
  return parseTemplate(template)
    .map(part => (typeof part === 'string' ? part : evaluate(part, scope)))
    .join('')
}

function evaluate(expr: Expression, scope: Scope): string {
  const value = Object.hasOwn(scope, expr.name) ? scope[expr.name] : undefined
  if (value === undefined) {
    throw unknownName(expr.name, Object.keys(scope))
  }
  if (typeof value === 'function') {
    return value(expr.args, expr.options)
  }
  if (expr.args.length > 0 || Object.keys(expr.options).length > 0) {
    throw new Error(`${expr.source}: {{${expr.name}}} takes no arguments`)
  }
  return value
}

function unknownName(name: string, known: string[]): Error {
  const list = known.map(k => `{{${k}}}`).join(', ')
  return new Error(`{{${name}}} is not a known expression here; use one of ${list}`)
}
