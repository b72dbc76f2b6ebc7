// Splitting list inputs the way the docker actions do (docker/actions-toolkit's
// Util.getInputList): one item per line, optionally also per comma, trimmed,
// empties dropped. An item that starts with a double quote runs to the closing
// quote, so it may hold commas and newlines (a multi-line secret); `""` inside
// it is a literal quote. A quote anywhere else is an ordinary character, so
// `FOO="a b"` stays as written.

export interface ListOptions {
  /** Also split on commas (platforms, images); off for values that contain commas. */
  comma: boolean
  /** Drop lines starting with `#` (metadata-action's images/tags/flavor/labels/annotations). */
  comments: boolean
}

export function splitList(raw: string, opts: ListOptions): string[] {
  const items: string[] = []
  let i = 0
  while (i < raw.length) {
    const {item, next, quoted} = readItem(raw, skipBlanks(raw, i), opts.comma)
    i = next
    if (opts.comments && !quoted && item.startsWith('#')) {
      i = skipLine(raw, i)
      continue
    }
    const value = quoted ? item : item.trim()
    if (value !== '') items.push(value)
  }
  return items
}

/** Skip spaces and tabs, not separators, so a quote after them still opens a quoted item. */
function skipBlanks(raw: string, i: number): number {
  while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++
  return i
}

function skipLine(raw: string, i: number): number {
  while (i < raw.length && raw[i - 1] !== '\n' && raw[i - 1] !== '\r') i++
  return i
}

function isSeparator(ch: string, comma: boolean): boolean {
  return ch === '\n' || ch === '\r' || (comma && ch === ',')
}

/** Read one item from `start`; `next` is just past its separator. */
function readItem(
  raw: string,
  start: number,
  comma: boolean
): {item: string; next: number; quoted: boolean} {
  let i = start
  let item = ''
  const quoted = raw[i] === '"'
  if (quoted) {
    i++
    while (i < raw.length) {
      if (raw[i] === '"' && raw[i + 1] === '"') {
        item += '"'
        i += 2
      } else if (raw[i] === '"') {
        i++
        break
      } else {
        item += raw[i++]
      }
    }
  }
  // Text after a closing quote (unusual) is kept as written.
  let tail = ''
  while (i < raw.length && !isSeparator(raw[i], comma)) tail += raw[i++]
  if (quoted) item += tail.trimEnd()
  else item = tail
  return {item, next: i + 1, quoted}
}
