// One shape for every error of the metadata stage: name the input, quote what
// was written, say what is expected.

export function inputError(input: string, subject: string, problem: string): Error {
  return new Error(`Input "${input}": ${subject}: ${problem}`)
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Runs fn; an error from it is re-thrown naming the input and the line it came from. */
export function withInput<T>(input: string, subject: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw inputError(input, subject, messageOf(err))
  }
}
