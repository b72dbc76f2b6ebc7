// Reading what a build pushed, straight from the registry's HTTP API:
// manifests and indexes, blobs, and files inside an image's layers.
import {readFileSync} from 'node:fs'
import {gunzipSync} from 'node:zlib'
import {httpRequest, type HttpOptions} from './http.js'
import type {Stack} from './stack.js'

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: {os: string; architecture: string; variant?: string}
  annotations?: Record<string, string>
}

export interface ImageIndex {
  schemaVersion: number
  mediaType?: string
  manifests: Descriptor[]
}

export interface ImageManifest {
  schemaVersion: number
  mediaType?: string
  config: Descriptor
  layers: Descriptor[]
}

export interface ManifestResponse<T = ImageIndex | ImageManifest> {
  /** The Content-Type the registry answered with. */
  mediaType: string
  /** Docker-Content-Digest. */
  digest: string
  json: T
}

export interface ImageRef {
  registry: string
  repository: string
  /** A tag or a sha256:... digest. */
  reference: string
}

/** Splits "127.0.0.1:5000/team/app:tag" or "...@sha256:..." (the registry part is required). */
export function parseRef(ref: string): ImageRef {
  const slash = ref.indexOf('/')
  if (slash < 0)
    throw new Error(`image ref "${ref}" has no registry part (want host:port/repo:tag)`)
  const registry = ref.slice(0, slash)
  const rest = ref.slice(slash + 1)
  const at = rest.indexOf('@')
  if (at >= 0) return {registry, repository: rest.slice(0, at), reference: rest.slice(at + 1)}
  const colon = rest.lastIndexOf(':')
  if (colon < 0) return {registry, repository: rest, reference: 'latest'}
  return {registry, repository: rest.slice(0, colon), reference: rest.slice(colon + 1)}
}

// The auth registry is https with the stack's CA and basic auth; the plain one is http.
function registryAccess(stack: Stack, registry: string): {base: string; options: HttpOptions} {
  if (registry === stack.authRegistry) {
    return {
      base: `https://${registry}`,
      options: {
        ca: readFileSync(stack.authRegistryCa),
        auth: `${stack.authRegistryUser}:${stack.authRegistryPassword}`
      }
    }
  }
  return {base: `http://${registry}`, options: {}}
}

/**
 * GET /v2/<repo>/manifests/<reference>, accepting indexes and manifests (OCI
 * and Docker). Throws with the registry's answer unless it is 200.
 */
export async function getManifest(stack: Stack, ref: string): Promise<ManifestResponse> {
  const {registry, repository, reference} = parseRef(ref)
  const {base, options} = registryAccess(stack, registry)
  const res = await httpRequest(`${base}/v2/${repository}/manifests/${reference}`, {
    ...options,
    headers: {Accept: Object.values(MEDIA_TYPES).join(', ')}
  })
  if (res.status !== 200) {
    throw new Error(`GET manifest ${ref}: HTTP ${res.status} ${res.text().slice(0, 500)}`)
  }
  const json = res.json<ImageIndex | ImageManifest>()
  return {
    mediaType: String(res.headers['content-type'] ?? json.mediaType ?? ''),
    digest: String(res.headers['docker-content-digest'] ?? ''),
    json
  }
}

export function isIndex(json: ImageIndex | ImageManifest): json is ImageIndex {
  return Array.isArray((json as ImageIndex).manifests)
}

/** Whether a descriptor in an index is an attestation (provenance/SBOM), not an image. */
export function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    d.platform?.os === 'unknown'
  )
}

/** "os/arch[/variant]" of each image in an index, attestations left out. */
export function indexPlatforms(index: ImageIndex): string[] {
  return index.manifests
    .filter(d => d.platform && !isAttestation(d))
    .map(d =>
      [d.platform!.os, d.platform!.architecture, d.platform!.variant].filter(Boolean).join('/')
    )
}

/** The image manifest for one platform ("linux/arm64") of a multi-platform ref. */
export async function getPlatformManifest(
  stack: Stack,
  ref: string,
  platform: string
): Promise<ManifestResponse<ImageManifest>> {
  const top = await getManifest(stack, ref)
  if (!isIndex(top.json)) throw new Error(`${ref} is a single manifest, not an index`)
  const found = top.json.manifests.find(
    d => !isAttestation(d) && indexPlatforms({schemaVersion: 2, manifests: [d]})[0] === platform
  )
  if (!found) {
    throw new Error(`${ref} has no ${platform} image (has ${indexPlatforms(top.json).join(', ')})`)
  }
  const {registry, repository} = parseRef(ref)
  return getManifest(stack, `${registry}/${repository}@${found.digest}`) as Promise<
    ManifestResponse<ImageManifest>
  >
}

/** GET /v2/<repo>/blobs/<digest>. */
export async function getBlob(stack: Stack, repoRef: string, digest: string): Promise<Buffer> {
  const {registry, repository} = parseRef(repoRef)
  const {base, options} = registryAccess(stack, registry)
  const res = await httpRequest(`${base}/v2/${repository}/blobs/${digest}`, options)
  if (res.status !== 200) throw new Error(`GET blob ${digest} of ${repoRef}: HTTP ${res.status}`)
  return res.body
}

/** Files of a tar archive (regular files only), by path without a leading "./" or "/". */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  let longName: string | undefined
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512)
    if (header.every(b => b === 0)) break
    const field = (start: number, len: number): string =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '')
    const size = parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1) || '0'
    const prefix = field(345, 155)
    const data = tar.subarray(off + 512, off + 512 + size)
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))
    longName = undefined
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '')
    if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1]
    if (type === '0') {
      name = name.replace(/^(\.\/|\/)+/, '')
      files.set(name, Buffer.from(data))
    }
    off += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

/**
 * The content of `path` in the image `ref` for `platform`, as the image's
 * filesystem has it (the topmost layer holding the file wins), or undefined.
 * Layers may be gzip-compressed or plain tar.
 */
export async function readFileFromImage(
  stack: Stack,
  ref: string,
  platform: string,
  path: string
): Promise<string | undefined> {
  const manifest = await getPlatformManifest(stack, ref, platform)
  const wanted = path.replace(/^\/+/, '')
  for (const layer of [...manifest.json.layers].reverse()) {
    const blob = await getBlob(stack, ref, layer.digest)
    const tar = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob
    const file = readTar(tar).get(wanted)
    if (file) return file.toString('utf8')
  }
  return undefined
}
