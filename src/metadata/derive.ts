// Shapes shared by the tag derivations (rules and defaults).
import type {GitContext} from '../context.js'
import type {Scope} from './template.js'

/** What one rule produced: the tag, and whether `latest=auto` should add `latest`. */
export interface Candidate {
  value: string
  latest: boolean
}

/** What a rule may read while producing its tag; warnings collect here. */
export interface RuleEnv {
  ctx: GitContext
  /** The commit to name (see effectiveSha). */
  sha: string
  scope: Scope
  warnings: string[]
}

export interface TagResult {
  /** Sanitised, deduplicated, highest priority first. */
  tags: string[]
  /** The main version: the highest-priority tag ('' when there is none). */
  version: string
  warnings: string[]
}
