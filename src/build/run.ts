// Runs one planned `docker buildx build` and turns what it printed and wrote
// (metadata file, iid file) into a BuildOutcome or a classified BuildFailure.
import {existsSync, readFileSync} from 'node:fs'
import {docker} from '../docker.js'
import type {FailureKind} from '../report/types.js'
import type {BuildPlan} from './plan.js'
import {classifyBuildFailure} from './failure.js'
import {
  type CacheStats,
  type DockerfileLocation,
  cacheImportMisses,
  cacheStats,
  dockerfileLocation,
  errorMessage,
  exportMs
} from './progress.js'

export interface BuildOutcome {
  digest: string
  imageid: string
  /** The buildx metadata file's JSON ({} when none was written). */
  metadata: Record<string, unknown>
  cache: CacheStats
  /** Warnings: cache imports that missed. */
  cacheMisses: string[]
  /** Of the build's time, how much went to exporting (pushing image and cache). */
  exportMs: number
}

/** How many log lines a failure keeps for the report. */
const TAIL_LINES = 30

export class BuildFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly logTail: string[],
    readonly location?: DockerfileLocation
  ) {
    super(message)
  }
}

export async function runBuild(
  plan: BuildPlan,
  files: {metadataFile: string; iidFile: string},
  onLine: (line: string) => void
): Promise<BuildOutcome> {
  const lines: string[] = []
  const result = await docker(plan.argv, {
    env: plan.env,
    onLine: line => {
      lines.push(line)
      onLine(line)
    }
  })
  if (result.code !== 0) throw buildFailure(lines)
  const metadata = readJson(files.metadataFile)
  return {
    digest: String(metadata['containerimage.digest'] ?? ''),
    imageid: existsSync(files.iidFile) ? readFileSync(files.iidFile, 'utf8').trim() : '',
    metadata,
    cache: cacheStats(lines),
    cacheMisses: cacheImportMisses(lines),
    exportMs: exportMs(lines)
  }
}

export function buildFailure(lines: string[]): BuildFailure {
  const message = errorMessage(lines)
  const kind = classifyBuildFailure(message)
  const location = kind === 'dockerfile' ? dockerfileLocation(lines) : undefined
  return new BuildFailure(kind, message, lines.slice(-TAIL_LINES), location)
}

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {}
  const text = readFileSync(path, 'utf8').trim()
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}
