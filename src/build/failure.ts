// Why did a build fail? The answer decides what happens next: a builder
// failure (connection to BuildKit lost) is retried on the fallback builder;
// a Dockerfile or push failure is the user's to fix and fails the step.
import type {FailureKind} from '../report/types.js'

const DOCKERFILE = [
  /did not complete successfully/,
  /dockerfile parse error/i,
  /failed to compute cache key/,
  /failed to resolve source metadata/,
  /unknown instruction/i,
  /failed to parse (stage name|platform)/i,
  /target stage .* could not be found/i
]
const PUSH = [
  /failed to push/i,
  /push access denied/i,
  /unexpected status from (PUT|POST|HEAD) request/i,
  /\b(denied|unauthorized|forbidden):/i,
  /failed to authorize/i
]
const BUILDER = [
  /error reading from server/i,
  /connection reset by peer/i,
  /code = Unavailable/,
  /transport is closing/i,
  /connection refused/i,
  /broken pipe/i,
  /no active session/i,
  /failed to dial/i,
  /GOAWAY/,
  /waiting for connection/,
  /context deadline exceeded/,
  /failed to list workers/i,
  /unexpected EOF/
]

/** Classifies a failed build from its final error message (and the log for Dockerfile signs). */
export function classifyBuildFailure(message: string): FailureKind {
  if (DOCKERFILE.some(re => re.test(message))) return 'dockerfile'
  if (PUSH.some(re => re.test(message))) return 'push'
  if (BUILDER.some(re => re.test(message))) return 'builder'
  return 'build'
}
