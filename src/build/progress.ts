// Reading buildx's plain progress output (pure): how many Dockerfile steps
// were cached, which cache imports missed, and where a Dockerfile error is.

export interface CacheStats {
  /** Dockerfile steps (RUN, COPY, ... per platform; FROM excluded) served from cache. */
  cached: number
  total: number
}

// "#9 [linux/amd64 2/3] RUN ..." or "#9 [2/3] COPY ..." or "#9 [build 2/5] RUN ..."
const STEP = /^#(\d+) \[(?:[^\]]*\s)?\d+\/\d+\] (\S+)/
const CACHED = /^#(\d+) CACHED$/
// A step found in a registry cache is loaded lazily: when the export needs its
// layers, buildx shows the step again, pulling them ("#14 sha256:<64 hex> 110B
// / 110B done"), and often prints DONE for it, never CACHED. A step that ran
// pulls no blobs (base images are pulled by their FROM step).
const PULLED = /^#(\d+) sha256:[0-9a-f]{64} \S+ \/ \S+/

export function cacheStats(lines: string[]): CacheStats {
  const steps = new Set<string>()
  const cached = new Set<string>()
  for (const line of lines) {
    const step = STEP.exec(line)
    if (step && step[2] !== 'FROM') steps.add(step[1])
    const hit = CACHED.exec(line) ?? PULLED.exec(line)
    if (hit) cached.add(hit[1])
  }
  return {cached: [...steps].filter(s => cached.has(s)).length, total: steps.size}
}

/** "importing cache manifest from REF" followed by "#N ERROR: ..." -> a warning per missed import. */
export function cacheImportMisses(lines: string[]): string[] {
  const imports = new Map<string, string>()
  const misses: string[] = []
  for (const line of lines) {
    const start = /^#(\d+) importing cache manifest from (\S+)/.exec(line)
    if (start) imports.set(start[1], start[2])
    const error = /^#(\d+) ERROR: (.*)$/.exec(line)
    if (error && imports.has(error[1])) {
      misses.push(`Cache import from ${imports.get(error[1])} missed: ${error[2]}`)
    }
  }
  // A multi-node build imports once per node and may print each: warn once.
  return [...new Set(misses)]
}

export interface DockerfileLocation {
  /** The file name as buildx printed it (basename, e.g. Dockerfile.web). */
  file: string
  line: number
}

/**
 * buildx prints "<file>:<line>" right above the "-----" frame of the failing
 * instruction's excerpt; the last one wins. The frame, not the name, marks it:
 * -f Containerfile or app.df print "Containerfile:2", "app.df:2".
 */
export function dockerfileLocation(lines: string[]): DockerfileLocation | undefined {
  let found: DockerfileLocation | undefined
  for (const [i, line] of lines.entries()) {
    const m = /^([^\s#]\S*):(\d+)$/.exec(line.trim())
    if (m && /^-{4,}$/.test(lines[i + 1]?.trim() ?? '')) found = {file: m[1], line: Number(m[2])}
    const parse = /dockerfile parse error on line (\d+)/i.exec(line)
    if (parse && !found) found = {file: 'Dockerfile', line: Number(parse[1])}
  }
  return found
}

/** The final ERROR line buildx printed, without its "ERROR: failed to build: failed to solve: " prefixes. */
export function errorMessage(lines: string[]): string {
  const errors = lines.filter(l => l.startsWith('ERROR: ')).map(l => l.slice('ERROR: '.length))
  const last = errors.pop() ?? lines.filter(l => l.trim()).pop() ?? 'build failed'
  // "failed to build: failed to solve: X" says nothing X does not.
  return last.replace(/^(failed to (build|solve): )+/, '')
}

/**
 * Time buildx spent exporting (pushing the image, writing registry cache), from
 * the "#N DONE 0.5s" lines of the export steps: the summary's "push" phase.
 */
export function exportMs(lines: string[]): number {
  const exportSteps = new Set<string>()
  let ms = 0
  for (const line of lines) {
    const step =
      /^#(\d+) (exporting to image|exporting cache to registry|exporting to oci image format)/.exec(
        line
      )
    if (step) exportSteps.add(step[1])
    const done = /^#(\d+) DONE (\d+(?:\.\d+)?)s$/.exec(line)
    if (done && exportSteps.has(done[1])) ms += Math.round(Number(done[2]) * 1000)
  }
  return ms
}
