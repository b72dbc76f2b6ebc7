// Docker tag rules: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. We repair what we can
// rather than hand buildx an invalid reference.

export const MAX_TAG_LENGTH = 128

/** Each run of characters outside [A-Za-z0-9_.-] becomes one `-`. */
export function replaceInvalid(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]+/g, '-')
}

/**
 * A valid Docker tag made from `value`: invalid runs become `-`, a leading
 * `.`/`-` is stripped, the result is cut to 128 characters. '' when nothing
 * usable is left (the caller drops it with a warning).
 */
export function sanitizeTag(value: string): string {
  return replaceInvalid(value)
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH)
}

/** A branch or environment name as a tag part: also trims separators at both ends. */
export function slug(value: string): string {
  return replaceInvalid(value).replace(/^[.-]+|[.-]+$/g, '')
}

export function droppedTagWarning(value: string, source: string): string {
  return `Tag "${value}" (from ${source}) has no characters a Docker tag may start with; it was dropped`
}

export function unique(values: string[]): string[] {
  return [...new Set(values)]
}
