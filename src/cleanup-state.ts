// What main created and post must remove. Kept free of @actions/core so the
// post bundle starts in ~40 ms instead of ~100 ms (it runs on every job).

export interface CleanupState {
  /** buildx builders the action created. */
  builders: string[]
  /** Temporary folders (TLS files, metadata files). */
  dirs: string[]
  /** Registries the action logged in to. */
  logins: string[]
}

/** core.saveState key; the runner hands it to post as STATE_cleanup. */
export const CLEANUP_STATE_KEY = 'cleanup'

export function emptyCleanupState(): CleanupState {
  return {builders: [], dirs: [], logins: []}
}

export function parseCleanupState(raw: string | undefined): CleanupState {
  if (!raw) return emptyCleanupState()
  const parsed = JSON.parse(raw) as Partial<CleanupState>
  return {
    builders: parsed.builders ?? [],
    dirs: parsed.dirs ?? [],
    logins: parsed.logins ?? []
  }
}
