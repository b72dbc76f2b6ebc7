// Main's side of cleanup: remember each thing the action creates, at once,
// in the step state, so the post step removes it even if main dies mid-way.
import * as core from '@actions/core'
import {CLEANUP_STATE_KEY, type CleanupState, emptyCleanupState} from './cleanup-state.js'

const state: CleanupState = emptyCleanupState()

export function trackForCleanup(kind: keyof CleanupState, value: string): void {
  if (!value || state[kind].includes(value)) return
  state[kind].push(value)
  core.saveState(CLEANUP_STATE_KEY, JSON.stringify(state))
}
