// Secrets never reach the job summary or ntfy: everything those show passes
// through redact() first (with config.ts's secretValues). The runner's own
// masking covers the log only.

const MASK = '***'
/** Lines of a multi-line secret shorter than this (blank lines, a PEM's short last line)
 * are not masked on their own: they match ordinary text too often. */
const MIN_LINE = 8

/** Replaces every occurrence of each secret (and each long line of multi-line ones) with ***. */
export function redact(text: string, secrets: string[]): string {
  let out = text
  // Longest first, so a secret that contains another is masked whole.
  for (const needle of needles(secrets)) out = out.split(needle).join(MASK)
  return out
}

function needles(secrets: string[]): string[] {
  const all = new Set<string>()
  for (const secret of secrets) {
    if (secret === '') continue
    all.add(secret)
    if (!/[\r\n]/.test(secret)) continue
    // A PEM key may show up re-wrapped or line by line (e.g. in an error message).
    for (const line of secret.split(/\r?\n|\r/)) {
      const trimmed = line.trim()
      if (trimmed.length >= MIN_LINE) all.add(trimmed)
    }
  }
  return [...all].sort((a, b) => b.length - a.length)
}
