// The `flavor` input (metadata-action): `latest=auto|true|false`,
// `prefix=...[,onlatest=true|false]`, `suffix=...[,onlatest=true|false]`.
import {splitAttribute, splitFields} from './csv.js'
import {inputError, withInput} from './errors.js'
import {GLOBAL_NAMES} from './scope.js'
import {checkTemplate} from './template.js'

export interface Flavor {
  /** auto: rules decide (semver, pep440, match, ref tag); true/false: always/never. */
  latest: 'auto' | boolean
  /** Prepended to every tag whose rule sets no prefix (template). */
  prefix: string
  /** Whether `latest` gets the prefix too. */
  prefixLatest: boolean
  suffix: string
  suffixLatest: boolean
}

export function defaultFlavor(): Flavor {
  return {latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false}
}

export function parseFlavor(lines: string[]): Flavor {
  const flavor = defaultFlavor()
  for (const line of lines) {
    const fields = withInput('flavor', `"${line}"`, () => splitFields(line))
    applyLine(
      flavor,
      line,
      fields.filter(f => f !== '')
    )
  }
  return flavor
}

function applyLine(flavor: Flavor, line: string, fields: string[]): void {
  const fail = (problem: string): Error => inputError('flavor', `"${line}"`, problem)
  // onlatest refers to the prefix or suffix given before it on the same line.
  let last: 'prefix' | 'suffix' | undefined
  for (const field of fields) {
    const [key, value] = splitAttribute(field)
    if (key === undefined) {
      throw fail('each entry is key=value; use latest=, prefix= or suffix=')
    }
    if (key === 'latest') {
      flavor.latest = latestValue(value, fail)
    } else if (key === 'prefix' || key === 'suffix') {
      withInput('flavor', `"${line}"`, () => checkTemplate(value, GLOBAL_NAMES))
      flavor[key] = value
      last = key
    } else if (key === 'onlatest') {
      if (last === undefined) throw fail('onlatest must follow prefix= or suffix= on its line')
      flavor[last === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = boolValue(value, fail)
    } else {
      throw fail(`"${key}" is not a flavor; use latest=auto|true|false, prefix=... or suffix=...`)
    }
  }
}

function latestValue(value: string, fail: (p: string) => Error): 'auto' | boolean {
  if (value === 'auto') return 'auto'
  if (value === 'true' || value === 'false') return value === 'true'
  throw fail(`latest "${value}" is not known; use latest=auto, latest=true or latest=false`)
}

function boolValue(value: string, fail: (p: string) => Error): boolean {
  if (value === 'true' || value === 'false') return value === 'true'
  throw fail(`onlatest "${value}" must be true or false`)
}
