// Config + GitContext -> whether this run pushes. Pure: the build plan and the
// report both need the answer, and the reason when the answer is "no".
import type {Config} from '../config.js'
import type {GitContext} from '../context.js'

export interface PushDecision {
  push: boolean
  /** Why nothing is pushed ('dry run', 'pull request from a fork', 'push: false'); '' when pushing. */
  reason: string
}

/** Pull request events. Fork PRs get a read-only token and no secrets under
 * `pull_request`; under `pull_request_target` they would have credentials, but
 * the code comes from the fork, so `auto` must not publish it either. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

export function decidePush(config: Config, ctx: GitContext): PushDecision {
  if (config.dryRun) return {push: false, reason: 'dry run'}
  if (config.push === false) return {push: false, reason: 'push: false'}
  if (config.push === 'auto' && PULL_REQUEST_EVENTS.has(ctx.eventName) && ctx.isFork) {
    return {push: false, reason: 'pull request from a fork'}
  }
  return {push: true, reason: ''}
}
