// Config + Metadata + push decision -> the exact `docker buildx build` argv.
// Pure: no env reads, no files, no exec. The runner passes argv to exec as an
// array (never through a shell), so every element reaches buildx literally,
// and merges `env` into the child's environment for the secrets.
import type {Config} from '../config.js'
import type {Metadata} from '../metadata/types.js'

export interface BuildPlan {
  /** Arguments after `docker`: starts with 'buildx', 'build'; the context is last. */
  argv: string[]
  /** Extra environment for the docker process: the secret values, keyed by generated names. */
  env: Record<string, string>
  /** True when the output pushes images (push requested and there is at least one tag). */
  push: boolean
  /** The --cache-from values used (defaults or the inputs). */
  cacheFrom: string[]
  /** The --cache-to values used (defaults or the inputs; registry exports only when pushing). */
  cacheTo: string[]
}

export interface PlanInput {
  config: Config
  meta: Metadata
  /** From decidePush. */
  push: boolean
  /** buildx builder name; '' = buildx's current builder. */
  builder: string
  /** Where buildx writes its metadata JSON (digest, image name...); '' = not written. */
  metadataFile: string
  /** Where buildx writes the image id; '' = not written. */
  iidFile: string
}

/** Prefix of the environment variables that carry secret values to buildx. */
export const SECRET_ENV_PREFIX = 'K8S_BUILD_SECRET_'

/** Tag of the default registry cache, next to the first image. */
export const CACHE_TAG = 'buildcache'

export function planBuild(input: PlanInput): BuildPlan {
  const {config, meta} = input
  // An image output needs a name: with no tags at all, build (and export
  // cache) without producing an image, and push nothing.
  const hasImage = meta.refs.length > 0
  const push = input.push && hasImage
  const secrets = planSecrets(config.secrets)
  const cache = planCache(config, input.push)

  const argv = ['buildx', 'build']
  if (input.builder) argv.push('--builder', input.builder)
  // plain progress: the runner parses CACHED steps and Dockerfile errors from it.
  argv.push('--progress=plain')
  if (config.platforms.length > 0) argv.push('--platform', config.platforms.join(','))
  if (config.file) argv.push('--file', config.file)
  if (config.target) argv.push('--target', config.target)
  for (const ref of meta.refs) argv.push('--tag', ref)
  for (const label of meta.labels) argv.push('--label', label)
  // Annotations land on image manifests/indexes; a cache-only build has none
  // to carry them, so they are left out there.
  if (hasImage) for (const annotation of meta.annotations) argv.push('--annotation', annotation)
  for (const arg of config.buildArgs) argv.push('--build-arg', checkBuildArg(arg))
  argv.push(...secrets.argv)
  // `=` form: the value is attached to its flag whatever it looks like.
  if (config.provenance) argv.push(`--provenance=${config.provenance}`)
  if (config.sbom) argv.push(`--sbom=${config.sbom}`)
  for (const from of cache.cacheFrom) argv.push('--cache-from', from)
  for (const to of cache.cacheTo) argv.push('--cache-to', to)
  if (input.metadataFile) argv.push('--metadata-file', input.metadataFile)
  if (input.iidFile) argv.push('--iidfile', input.iidFile)
  argv.push(...outputArgs(hasImage, push))
  argv.push(config.context || '.')

  return {argv, env: secrets.env, push, ...cache}
}

/** `type=registry,...`, or a bare ref (buildx's shorthand for a registry cache). */
function isRegistryCache(spec: string): boolean {
  const type = /(?:^|,)type=([^,]+)/.exec(spec)?.[1]
  return type === undefined ? !spec.includes('=') : type === 'registry'
}

function outputArgs(hasImage: boolean, push: boolean): string[] {
  if (!hasImage) return ['--output', 'type=cacheonly']
  if (push) return ['--push']
  // Not --load: an image output without push still builds every platform
  // (--load would need a single-platform or containerd-store daemon).
  return ['--output', 'type=image,push=false']
}

/** A bare KEY makes buildx copy the runner's environment variable of that
 * name into the build, which could leak the secret env vars set here. */
function checkBuildArg(arg: string): string {
  if (arg.indexOf('=') <= 0) {
    throw new Error(
      `Input "build-args": "${arg}" is not KEY=VALUE; write one KEY=VALUE per line ` +
        '(a bare KEY would copy a runner environment variable into the build)'
    )
  }
  return arg
}

/** Secret ids go into buildx's CSV `--secret id=...,env=...`: keep them plain. */
const SECRET_ID = /^[A-Za-z0-9_.-]+$/

/** `id=VALUE` lines -> `--secret id=<id>,env=<VAR>` with env[VAR] = VALUE, so
 * secret values never appear in argv (visible in logs and `ps`). */
function planSecrets(lines: string[]): {argv: string[]; env: Record<string, string>} {
  const argv: string[] = []
  const env: Record<string, string> = {}
  lines.forEach((line, i) => {
    const eq = line.indexOf('=')
    const id = eq > 0 ? line.slice(0, eq) : ''
    if (!SECRET_ID.test(id)) {
      // The line itself is not quoted: it may be a pasted secret value.
      throw new Error(
        `Input "secrets": line ${i + 1} is not id=VALUE with an id of letters, digits, ` +
          '"_", "." or "-"; write one secret per line, e.g. NPM_TOKEN=${{ secrets.NPM_TOKEN }}'
      )
    }
    const name = `${SECRET_ENV_PREFIX}${i}`
    env[name] = line.slice(eq + 1)
    argv.push('--secret', `id=${id},env=${name}`)
  })
  return {argv, env}
}

/**
 * Registry cache next to the first image, unless the `cache-from`/`cache-to`
 * inputs say otherwise. Either input replaces both defaults: the defaults are
 * a pair on one ref, and half of it would read one cache while writing another.
 */
function planCache(config: Config, push: boolean): {cacheFrom: string[]; cacheTo: string[]} {
  if (config.cacheFrom.length > 0 || config.cacheTo.length > 0) {
    // A build that pushes nothing (fork PR, push: false) has no right to write
    // a registry either: exporting would fail the build, so those are dropped.
    const cacheTo = push ? [...config.cacheTo] : config.cacheTo.filter(c => !isRegistryCache(c))
    return {cacheFrom: [...config.cacheFrom], cacheTo}
  }
  if (config.images.length === 0) return {cacheFrom: [], cacheTo: []}
  const ref = `${config.images[0]}:${CACHE_TAG}`
  // Importing a cache ref that does not exist (first build, or no read access
  // on a fork PR) is only a warning in buildx, so cache-from is always safe.
  const cacheFrom = [`type=registry,ref=${ref}`]
  if (!push) return {cacheFrom, cacheTo: []}
  // BuildKit before v0.21 exports registry cache as an index whose entries are
  // layer blobs and a cache config, not manifests; GHCR (and ECR, GCR, Quay...)
  // reject or mangle that (moby/buildkit#1865, #2251). image-manifest=true
  // writes a plain OCI image manifest instead (default only since BuildKit
  // v0.21; a remote host may be older), and it requires oci-mediatypes=true.
  // mode=max caches every stage of multi-stage builds, not only the last.
  return {
    cacheFrom,
    cacheTo: [`type=registry,ref=${ref},mode=max,image-manifest=true,oci-mediatypes=true`]
  }
}
