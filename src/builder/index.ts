// Builder choice (DESIGN.md): the remote BuildKit host(s) when given and
// reachable, else, if allowed, buildx on the runner (the fallback).
import {randomBytes} from 'node:crypto'
import type {Config} from '../config.js'
import {trackForCleanup} from '../cleanup.js'
import {probeEndpoint} from './probe.js'
import {BuilderUnavailable, createRemoteBuilder, readTlsMaterial, writeTlsFiles} from './remote.js'
import {prepareLocalBuilder} from './local.js'

export interface ActiveBuilder {
  /** buildx builder name for --builder. */
  name: string
  /** The `builder` output: remote, or fallback (any build on the runner). */
  kind: 'remote' | 'fallback'
  /** The `builder-endpoint` output: remote endpoints, or the local builder's name. */
  endpoint: string
  /** Why the runner builds instead of the remote host ('' when it is not a fallback: remote path, or no host given). */
  fallbackReason: string
}

/** Extra time a bootstrap may take beyond the connect timeout (TLS, gRPC handshake). */
const BOOTSTRAP_GRACE_MS = 10_000

export function builderName(prefix: string): string {
  return `k8s-build-${prefix}-${randomBytes(4).toString('hex')}`
}

export async function chooseBuilder(
  config: Config,
  tempDir: string,
  warn: (message: string) => void
): Promise<ActiveBuilder> {
  if (config.buildkitHosts.length === 0) {
    return localBuilder(config, '', warn)
  }
  try {
    return await remoteBuilder(config, tempDir)
  } catch (error) {
    if (!(error instanceof BuilderUnavailable)) throw error
    if (!config.fallback) {
      throw new BuilderUnavailable(`${error.message} (fallback: false, so the step fails)`)
    }
    warn(`${error.message}; building with buildx on the runner instead`)
    return localBuilder(config, error.message, warn)
  }
}

async function remoteBuilder(config: Config, tempDir: string): Promise<ActiveBuilder> {
  const endpoints = config.buildkitHosts.map(n => n.endpoint)
  const pem = readTlsMaterial(config.tls)
  const probes = await Promise.all(
    endpoints.map(e => probeEndpoint(e, config.connectTimeoutMs, pem))
  )
  const down = probes.findIndex(p => !p.ok)
  if (down >= 0) {
    const what = /^TLS/.test(probes[down].reason) ? 'cannot be used' : 'is unreachable'
    throw new BuilderUnavailable(`BuildKit host ${endpoints[down]} ${what}: ${probes[down].reason}`)
  }
  const tls = writeTlsFiles(config.tls, tempDir)
  trackForCleanup('dirs', tls.dir)
  const name = builderName('remote')
  // Tracked before it exists, so post removes it even if main dies while it
  // bootstraps. A builder that fails to start is left to post too: removing
  // it here made post warn that the tracked builder was missing. The fallback
  // names its own builder, so the half-made one is never used.
  trackForCleanup('builders', name)
  await createRemoteBuilder(
    name,
    config.buildkitHosts,
    tls.files,
    config.connectTimeoutMs + BOOTSTRAP_GRACE_MS
  )
  return {name, kind: 'remote', endpoint: endpoints.join('\n'), fallbackReason: ''}
}

export async function localBuilder(
  config: Config,
  reason: string,
  warn: (message: string) => void
): Promise<ActiveBuilder> {
  const name = builderName('local')
  const local = await prepareLocalBuilder(name, config.platforms, warn)
  if (local.created) trackForCleanup('builders', local.name)
  return {name: local.name, kind: 'fallback', endpoint: local.name, fallbackReason: reason}
}
