// What a run did, gathered by main for the summary and ntfy builders (pure).
import type {NodeInfo} from '../builder/inspect.js'
import type {CacheStats} from '../build/progress.js'
import type {GitContext} from '../context.js'
import type {Metadata} from '../metadata/types.js'

// builder: BuildKit unreachable or lost (fallback retries); dockerfile: the user's build failed;
// build: any other buildx failure (no retry).
export type FailureKind =
  'input' | 'login' | 'builder' | 'dockerfile' | 'build' | 'push' | 'internal'

export interface Failure {
  kind: FailureKind
  message: string
  /** Dockerfile location when the error has one. */
  file?: string
  line?: number
  /** Last lines of the build log. */
  logTail?: string[]
}

export interface BuilderReport {
  kind: 'remote' | 'fallback'
  endpoint: string
  /** Why the runner built instead of the remote host ('' on the remote path or when no host was given). */
  fallbackReason: string
  nodes: NodeInfo[]
}

export interface PlatformSize {
  platform: string
  /** Compressed layer bytes, from the registry's manifest. */
  bytes: number
}

export type Phase = 'login' | 'builder' | 'build' | 'push'

export interface RunReport {
  ok: boolean
  dryRun: boolean
  ctx?: GitContext
  meta?: Metadata
  /** Why nothing was pushed ('' when pushed). */
  notPushedReason: string
  durationMs: number
  /** Milliseconds per phase that ran. */
  phases: Partial<Record<Phase, number>>
  builder?: BuilderReport
  platforms: string[]
  /** Refs pushed (empty when nothing was). */
  pushed: string[]
  digest: string
  cache?: CacheStats
  sizes: PlatformSize[]
  failure?: Failure
}

export function newReport(): RunReport {
  return {
    ok: false,
    dryRun: false,
    notPushedReason: '',
    durationMs: 0,
    phases: {},
    platforms: [],
    pushed: [],
    digest: '',
    sizes: []
  }
}
