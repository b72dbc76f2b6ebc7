// Image size per platform, read from the registry's manifests (distribution
// API v2): the index by digest, then each platform's manifest, summing its
// compressed layer sizes. Pure pieces (reference, challenge and manifest
// parsing) are exported for tests; platformSizes is the one effect.
import * as http from 'node:http'
import * as https from 'node:https'
import type {PlatformSize} from '../report/types.js'

export interface RegistryAuth {
  username: string
  password: string
}

export class RegistryError extends Error {}

// --- references ----------------------------------------------------------------

export interface ImageLocation {
  /** Host[:port] the API answers on: ghcr.io, 127.0.0.1:5000, registry-1.docker.io. */
  host: string
  /** Repository path: owner/app, library/alpine. */
  repository: string
}

/** "ghcr.io/o/app:v1", "alpine", "127.0.0.1:5000/app@sha256:..." -> where its manifests live. */
export function parseImageRef(ref: string): ImageLocation {
  const name = ref.split('@')[0]
  const lastSlash = name.lastIndexOf('/')
  const tagColon = name.lastIndexOf(':')
  const bare = tagColon > lastSlash ? name.slice(0, tagColon) : name
  const parts = bare.split('/')
  // Docker's rule: a first part with "." or ":" (or localhost) is a registry host.
  const first = parts[0]
  const hasHost =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const host = hasHost ? first : 'docker.io'
  const path = hasHost ? parts.slice(1) : parts
  if (host === 'docker.io' || host === 'index.docker.io') {
    // Docker Hub's API is on registry-1.docker.io; official images live under library/.
    return {
      host: 'registry-1.docker.io',
      repository: path.length === 1 ? `library/${path[0]}` : path.join('/')
    }
  }
  return {host, repository: path.join('/')}
}

/** 127.0.0.0/8, localhost and [::1]: registries docker treats as insecure without configuration. */
export function isLoopbackHost(host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  )
}

/**
 * How to reach a registry, in order of preference. Docker treats loopback
 * registries as insecure: it tries HTTPS without verifying the certificate,
 * then plain HTTP (a self-signed TLS registry on 127.0.0.1:5443 and a plain
 * one on 127.0.0.1:5000 both work). Anything else is HTTPS, verified.
 */
export function endpointsFor(host: string): {base: string; insecure: boolean}[] {
  if (!isLoopbackHost(host)) return [{base: `https://${host}`, insecure: false}]
  return [
    {base: `https://${host}`, insecure: true},
    {base: `http://${host}`, insecure: true}
  ]
}

// --- auth challenges ---------------------------------------------------------

export interface Challenge {
  scheme: 'bearer' | 'basic'
  /** realm, service, scope, ... (keys lowercased). */
  params: Record<string, string>
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull"` or `Basic realm="..."`. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header)
  if (!m) return undefined
  const scheme = m[1].toLowerCase()
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined
  const params: Record<string, string> = {}
  // key=value or key="value with, commas", separated by commas.
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g
  for (const p of m[2].matchAll(re)) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]
  }
  return {scheme, params}
}

/** The token endpoint URL for a bearer challenge, asking to pull `repository`. */
export function tokenUrl(challenge: Challenge, repository: string): string {
  const realm = challenge.params.realm
  if (!realm)
    throw new RegistryError('the registry asked for a bearer token but named no token realm')
  const url = new URL(realm)
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service)
  // The challenge for /v2/ carries no (or another) scope: ask for this repository.
  url.searchParams.set('scope', `repository:${repository}:pull`)
  return url.toString()
}

// --- manifests -----------------------------------------------------------------

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

export interface PlatformManifest {
  platform: string
  digest: string
}

interface Descriptor {
  digest?: unknown
  size?: unknown
  platform?: {os?: unknown; architecture?: unknown; variant?: unknown}
  annotations?: Record<string, unknown>
}

/** An index (or manifest list) has `manifests`; an image manifest has `layers`. */
export function isIndex(json: unknown): boolean {
  return Array.isArray((json as {manifests?: unknown})?.manifests)
}

/**
 * The image manifests of an index, one per platform. BuildKit's attestation
 * manifests (provenance, SBOM) are listed as platform unknown/unknown with a
 * vnd.docker.reference.type annotation: they are not images, so skipped.
 */
export function platformManifests(index: unknown): PlatformManifest[] {
  const manifests = ((index as {manifests?: unknown})?.manifests ?? []) as Descriptor[]
  const out: PlatformManifest[] = []
  for (const m of manifests) {
    if (typeof m.digest !== 'string') continue
    if (m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue
    const platform = platformString(m.platform)
    if (platform === 'unknown/unknown') continue
    out.push({platform, digest: m.digest})
  }
  return out
}

function platformString(p: Descriptor['platform']): string {
  const os = typeof p?.os === 'string' ? p.os : 'unknown'
  const arch = typeof p?.architecture === 'string' ? p.architecture : 'unknown'
  return typeof p?.variant === 'string' && p.variant
    ? `${os}/${arch}/${p.variant}`
    : `${os}/${arch}`
}

/** Compressed size of an image: the sum of its manifest's layers[].size. */
export function layerBytes(manifest: unknown): number {
  const layers = ((manifest as {layers?: unknown})?.layers ?? []) as Descriptor[]
  if (!Array.isArray(layers)) return 0
  return layers.reduce((sum, l) => sum + (typeof l.size === 'number' && l.size > 0 ? l.size : 0), 0)
}

// --- the effect ------------------------------------------------------------------

/**
 * Compressed image size per platform for the image `digest` in `imageRef`'s
 * repository. Throws RegistryError (naming the registry, never credentials)
 * when the registry cannot be read; callers treat that as a warning.
 */
export async function platformSizes(
  imageRef: string,
  digest: string,
  auth: RegistryAuth | undefined,
  timeoutMs = 15_000
): Promise<PlatformSize[]> {
  const location = parseImageRef(imageRef)
  const client = await connect(location, auth, timeoutMs)
  const top = await client.manifest(digest)
  if (!isIndex(top)) {
    return [{platform: await client.configPlatform(top), bytes: layerBytes(top)}]
  }
  const platforms = platformManifests(top)
  const manifests = await Promise.all(platforms.map(p => client.manifest(p.digest)))
  return platforms.map((p, i) => ({platform: p.platform, bytes: layerBytes(manifests[i])}))
}

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

interface Endpoint {
  base: string
  insecure: boolean
}

/** Manifests are small; anything bigger than this is not one. */
const MAX_BODY = 8 * 1024 * 1024

class RegistryClient {
  constructor(
    private readonly endpoint: Endpoint,
    private readonly location: ImageLocation,
    private readonly authorization: string,
    private readonly timeoutMs: number
  ) {}

  async manifest(digest: string): Promise<unknown> {
    return this.json(
      `/v2/${this.location.repository}/manifests/${digest}`,
      MANIFEST_ACCEPT,
      `manifest ${digest}`
    )
  }

  /** os/arch[/variant] from the image config, for a manifest that is not in an index. */
  async configPlatform(manifest: unknown): Promise<string> {
    const digest = (manifest as {config?: {digest?: unknown}})?.config?.digest
    if (typeof digest !== 'string') return 'unknown'
    const config = await this.json(
      `/v2/${this.location.repository}/blobs/${digest}`,
      '*/*',
      `config ${digest}`
    )
    return platformString(config as Descriptor['platform'])
  }

  private async json(path: string, accept: string, what: string): Promise<unknown> {
    const headers: Record<string, string> = {Accept: accept}
    if (this.authorization) headers.Authorization = this.authorization
    const reply = await get(
      `${this.endpoint.base}${path}`,
      headers,
      this.endpoint.insecure,
      this.timeoutMs
    )
    if (reply.status !== 200) {
      throw new RegistryError(
        `registry ${this.location.host} answered HTTP ${reply.status} for the ${what} of ${this.location.repository}`
      )
    }
    try {
      return JSON.parse(reply.body)
    } catch {
      throw new RegistryError(
        `registry ${this.location.host} sent something other than JSON for the ${what}`
      )
    }
  }
}

/** Pings /v2/ (as docker does) to find the scheme and the auth the registry wants. */
async function connect(
  location: ImageLocation,
  auth: RegistryAuth | undefined,
  timeoutMs: number
): Promise<RegistryClient> {
  let lastError: unknown
  for (const endpoint of endpointsFor(location.host)) {
    let ping: Reply
    try {
      ping = await get(`${endpoint.base}/v2/`, {}, endpoint.insecure, timeoutMs)
    } catch (error) {
      // On loopback, HTTPS to a plain-HTTP registry fails the handshake: try HTTP next.
      lastError = error
      continue
    }
    const authorization =
      ping.status === 401 ? await authorize(ping, location, endpoint, auth, timeoutMs) : ''
    return new RegistryClient(endpoint, location, authorization, timeoutMs)
  }
  // Duck-typed: socket errors may come from another realm (under jest, instanceof fails).
  const reason = (lastError as {message?: string} | undefined)?.message ?? 'no answer'
  throw new RegistryError(`cannot reach registry ${location.host}: ${reason}`)
}

async function authorize(
  ping: Reply,
  location: ImageLocation,
  endpoint: Endpoint,
  auth: RegistryAuth | undefined,
  timeoutMs: number
): Promise<string> {
  const header = ping.headers['www-authenticate']
  const challenge = parseChallenge(Array.isArray(header) ? header[0] : (header ?? ''))
  if (!challenge)
    throw new RegistryError(
      `registry ${location.host} wants authentication of a kind this action does not speak`
    )
  const basic = auth
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
    : ''
  if (challenge.scheme === 'basic') {
    if (!basic)
      throw new RegistryError(
        `registry ${location.host} needs credentials to read manifests; none were given`
      )
    return basic
  }
  const url = tokenUrl(challenge, location.repository)
  const insecure = endpoint.insecure && isLoopbackHost(new URL(url).host)
  const reply = await get(url, basic ? {Authorization: basic} : {}, insecure, timeoutMs)
  if (reply.status !== 200) {
    throw new RegistryError(
      `token service of registry ${location.host} answered HTTP ${reply.status} for pull access to ${location.repository}`
    )
  }
  const body = JSON.parse(reply.body) as {token?: unknown; access_token?: unknown}
  const token = typeof body.token === 'string' ? body.token : body.access_token
  if (typeof token !== 'string' || !token) {
    throw new RegistryError(`token service of registry ${location.host} returned no token`)
  }
  return `Bearer ${token}`
}

/**
 * One GET with node's http/https (fetch cannot skip certificate checks, which
 * loopback registries with self-signed certificates need). Follows up to three
 * redirects (blob storage), dropping Authorization when the host changes.
 */
function get(
  url: string,
  headers: Record<string, string>,
  insecure: boolean,
  timeoutMs: number,
  redirects = 3
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const lib = target.protocol === 'http:' ? http : https
    const req = lib.get(
      target,
      {headers, rejectUnauthorized: !insecure, timeout: timeoutMs},
      res => {
        const status = res.statusCode ?? 0
        const location = res.headers.location
        if (status >= 300 && status < 400 && location && redirects > 0) {
          res.resume()
          const next = new URL(location, target)
          const sameHost = next.host === target.host
          const nextHeaders = {...headers}
          if (!sameHost) delete nextHeaders.Authorization
          resolve(get(next.toString(), nextHeaders, insecure && sameHost, timeoutMs, redirects - 1))
          return
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_BODY)
            req.destroy(
              new RegistryError(`answer from ${target.host} is larger than ${MAX_BODY} bytes`)
            )
          else chunks.push(chunk)
        })
        res.on('end', () =>
          resolve({status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')})
        )
        res.on('error', reject)
      }
    )
    req.on('timeout', () =>
      req.destroy(new RegistryError(`no answer from ${target.host} within ${timeoutMs} ms`))
    )
    req.on('error', reject)
  })
}
