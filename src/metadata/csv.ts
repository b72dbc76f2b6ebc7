// Splits one `tags`/`flavor` line into its comma-separated fields, CSV style.
// A field may be quoted as a whole ("value=a,b") like metadata-action allows,
// or just its value (value="a,b"), which is what people tend to write.
// Commas inside {{ ... }} never split, so {{date 'YYYY,MM'}} needs no quotes.

/** Fields of one line, unquoted and trimmed. Throws (without input name) on an open quote. */
export function splitFields(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let inQuote = false
  let braces = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    const next = line[i + 1]
    if (inQuote) {
      if (c === '"' && next === '"') {
        field += '"'
        i++
      } else if (c === '"') {
        inQuote = false
      } else {
        field += c
      }
    } else if (c === '"' && quoteMayOpen(field)) {
      inQuote = true
    } else if (c === '{' && next === '{') {
      braces++
      field += '{{'
      i++
    } else if (c === '}' && next === '}' && braces > 0) {
      braces--
      field += '}}'
      i++
    } else if (c === ',' && braces === 0) {
      fields.push(field.trim())
      field = ''
    } else {
      field += c
    }
  }
  if (inQuote) {
    throw new Error('it has a quote that is never closed; close it, e.g. value="a,b"')
  }
  fields.push(field.trim())
  return fields
}

/** A quote opens a quoted part at the start of a field or right after its first `=`. */
function quoteMayOpen(field: string): boolean {
  return field.trim() === '' || /^[^="]*=\s*$/.test(field)
}

/** `key=value` -> [key lowercased, value]; a field without `=` -> [undefined, field]. */
export function splitAttribute(field: string): [string | undefined, string] {
  const eq = field.indexOf('=')
  if (eq < 0) {
    return [undefined, field]
  }
  return [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()]
}
