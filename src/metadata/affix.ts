// The flavor's prefix/suffix, rendered once per run, and the `latest` tag
// they make (metadata-action adds them to `latest` only with onlatest=true).
import {withInput} from './errors.js'
import type {Flavor} from './flavor.js'
import {sanitizeTag} from './sanitize.js'
import {renderTemplate, type Scope} from './template.js'

export interface Affixes {
  prefix: string
  suffix: string
  /** `latest` with the flavor's affixes where onlatest asks for them, sanitised. */
  latest: string
}

export function renderFlavor(flavor: Flavor, scope: Scope): Affixes {
  const render = (t: string): string =>
    withInput('flavor', `"${t}"`, () => renderTemplate(t, scope))
  const prefix = render(flavor.prefix)
  const suffix = render(flavor.suffix)
  const latest = `${flavor.prefixLatest ? prefix : ''}latest${flavor.suffixLatest ? suffix : ''}`
  return {prefix, suffix, latest: sanitizeTag(latest)}
}
