import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'
import {
  endpointsFor,
  isIndex,
  isLoopbackHost,
  layerBytes,
  parseChallenge,
  parseImageRef,
  platformManifests,
  platformSizes,
  tokenUrl
} from '../../src/registry/manifests.js'

type Mode = 'bearer' | 'basic' | 'open'

const digest = (c: string): string => `sha256:${c.repeat(64)}`

/** An index as BuildKit pushes it: two images and their provenance attestations. */
const INDEX = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest('a'),
      size: 480,
      platform: {architecture: 'amd64', os: 'linux'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest('b'),
      size: 480,
      platform: {architecture: 'arm', os: 'linux', variant: 'v7'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest('c'),
      size: 566,
      annotations: {
        'vnd.docker.reference.digest': digest('a'),
        'vnd.docker.reference.type': 'attestation-manifest'
      },
      platform: {architecture: 'unknown', os: 'unknown'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest('d'),
      size: 566,
      platform: {architecture: 'unknown', os: 'unknown'}
    }
  ]
}

function manifest(layers: number[], config = digest('f')): object {
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 100},
    layers: layers.map((size, i) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: digest(String(i)),
      size
    }))
  }
}

describe('parseImageRef', () => {
  test.each<[string, string, string]>([
    ['ghcr.io/acme/app:v1.2.3', 'ghcr.io', 'acme/app'],
    ['ghcr.io/acme/app/web@sha256:abc', 'ghcr.io', 'acme/app/web'],
    ['127.0.0.1:5000/sandbox/busybox:latest', '127.0.0.1:5000', 'sandbox/busybox'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000', 'app'],
    ['localhost/app:1', 'localhost', 'app'],
    ['localhost:5000/app', 'localhost:5000', 'app'],
    ['[::1]:5000/app:1', '[::1]:5000', 'app'],
    ['alpine', 'registry-1.docker.io', 'library/alpine'],
    ['alpine:3.20', 'registry-1.docker.io', 'library/alpine'],
    ['acme/app:v1', 'registry-1.docker.io', 'acme/app'],
    ['docker.io/acme/app', 'registry-1.docker.io', 'acme/app'],
    ['docker.io/alpine', 'registry-1.docker.io', 'library/alpine'],
    ['index.docker.io/acme/app', 'registry-1.docker.io', 'acme/app']
  ])('%s -> %s %s', (ref, host, repository) => {
    expect(parseImageRef(ref)).toEqual({host, repository})
  })
})

describe('which scheme', () => {
  test.each<[string, boolean]>([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['localhost', true],
    ['[::1]:5000', true],
    ['ghcr.io', false],
    ['128.0.0.1:5000', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com:5000', false]
  ])('isLoopbackHost(%s) = %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })

  test('loopback: HTTPS without certificate checks, then plain HTTP (as docker does)', () => {
    expect(endpointsFor('127.0.0.1:5443')).toEqual([
      {base: 'https://127.0.0.1:5443', insecure: true},
      {base: 'http://127.0.0.1:5443', insecure: true}
    ])
  })

  test('elsewhere: verified HTTPS only', () => {
    expect(endpointsFor('ghcr.io')).toEqual([{base: 'https://ghcr.io', insecure: false}])
  })
})

describe('parseChallenge', () => {
  test.each<[string, string, ReturnType<typeof parseChallenge>]>([
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:user/image:pull'
        }
      }
    ],
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
      {
        scheme: 'bearer',
        params: {realm: 'https://auth.docker.io/token', service: 'registry.docker.io'}
      }
    ],
    [
      'a scope with two actions (a comma inside quotes)',
      'Bearer realm="https://r/token",scope="repository:a/b:pull,push"',
      {scheme: 'bearer', params: {realm: 'https://r/token', scope: 'repository:a/b:pull,push'}}
    ],
    [
      'htpasswd registry',
      'Basic realm="Registry Realm"',
      {scheme: 'basic', params: {realm: 'Registry Realm'}}
    ],
    [
      'unquoted values, spaces, upper-case keys',
      'bearer Realm=https://r/token , Service=svc',
      {scheme: 'bearer', params: {realm: 'https://r/token', service: 'svc'}}
    ],
    ['another scheme', 'Digest realm="x"', undefined],
    ['nothing', '', undefined]
  ])('%s', (_name, header, expected) => {
    expect(parseChallenge(header)).toEqual(expected)
  })

  test('tokenUrl asks for pull on the repository, whatever scope the ping named', () => {
    const challenge = parseChallenge(
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:other/x:push"'
    )
    if (!challenge) throw new Error('no challenge')
    const url = new URL(tokenUrl(challenge, 'acme/app'))
    expect(url.origin + url.pathname).toBe('https://ghcr.io/token')
    expect(url.searchParams.get('service')).toBe('ghcr.io')
    expect(url.searchParams.get('scope')).toBe('repository:acme/app:pull')
  })

  test('tokenUrl without a realm is an error', () => {
    expect(() => tokenUrl({scheme: 'bearer', params: {}}, 'a/b')).toThrow(/no token realm/)
  })
})

describe('manifest JSON', () => {
  test('platformManifests: images only, attestations and unknown/unknown skipped, variants kept', () => {
    expect(platformManifests(INDEX)).toEqual([
      {platform: 'linux/amd64', digest: digest('a')},
      {platform: 'linux/arm/v7', digest: digest('b')}
    ])
  })

  test.each<[string, unknown, number]>([
    ['sum of layer sizes', manifest([100, 2000, 30_000]), 32_100],
    ['no layers', manifest([]), 0],
    ['junk sizes are ignored', {layers: [{size: 5}, {size: -1}, {size: 'x'}, {}]}, 5],
    ['not a manifest', null, 0]
  ])('layerBytes: %s', (_name, json, bytes) => {
    expect(layerBytes(json)).toBe(bytes)
  })

  test('isIndex tells an index from an image manifest', () => {
    expect(isIndex(INDEX)).toBe(true)
    expect(isIndex(manifest([1]))).toBe(false)
    expect(isIndex(undefined)).toBe(false)
  })
})

/**
 * A registry on 127.0.0.1 speaking the distribution API as GHCR does (bearer
 * tokens from a token endpoint) or as an htpasswd registry does (basic). It
 * speaks plain HTTP, so the client's HTTPS attempt fails and it falls back.
 */
describe('platformSizes against a local registry', () => {
  const USER = 'bot'
  const PASSWORD = 'registry-pass-123'
  const TOKEN = 'tok-abc'
  let mode: Mode = 'bearer'
  let anonymousPull = false
  let seen: {url: string; authorization?: string; accept?: string}[] = []
  let server: http.Server
  let host = ''

  const objects: Record<string, object> = {
    [digest('9')]: INDEX,
    [digest('a')]: manifest([1_000_000, 140_817]),
    [digest('b')]: manifest([1_082_454]),
    [digest('8')]: manifest([4096, 4096], digest('7'))
  }
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`

  function allowed(auth: string | undefined): boolean {
    if (mode === 'open') return true
    if (mode === 'basic') return auth === basic
    return auth === `Bearer ${TOKEN}`
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://${host}`)
      seen.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        accept: req.headers.accept
      })
      const send = (status: number, body: object, headers: Record<string, string> = {}): void => {
        res.writeHead(status, {'Content-Type': 'application/json', ...headers})
        res.end(JSON.stringify(body))
      }
      if (url.pathname === '/token') {
        const ok =
          req.headers.authorization === basic || (anonymousPull && !req.headers.authorization)
        return ok ? send(200, {token: TOKEN}) : send(401, {errors: [{code: 'UNAUTHORIZED'}]})
      }
      if (url.pathname === '/storage/config')
        return send(200, {architecture: 'arm64', os: 'linux', variant: 'v8'})
      if (!allowed(req.headers.authorization)) {
        const challenge =
          mode === 'bearer'
            ? `Bearer realm="http://${host}/token",service="fake-registry"`
            : 'Basic realm="Registry Realm"'
        return send(401, {errors: [{code: 'UNAUTHORIZED'}]}, {'WWW-Authenticate': challenge})
      }
      if (url.pathname === '/v2/') return send(200, {})
      const m = /^\/v2\/acme\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname)
      if (m?.[1] === 'blobs' && m[2] === digest('7')) {
        res.writeHead(307, {Location: '/storage/config'})
        return res.end()
      }
      const object = m ? objects[m[2]] : undefined
      return object ? send(200, object) : send(404, {errors: [{code: 'MANIFEST_UNKNOWN'}]})
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  function reset(m: Mode, anonymous = false): void {
    mode = m
    anonymousPull = anonymous
    seen = []
  }

  const EXPECTED = [
    {platform: 'linux/amd64', bytes: 1_140_817},
    {platform: 'linux/arm/v7', bytes: 1_082_454}
  ]

  test('bearer challenge (GHCR style): token with basic auth, then the index and each platform', async () => {
    reset('bearer')
    const sizes = await platformSizes(`${host}/acme/app:v1`, digest('9'), {
      username: USER,
      password: PASSWORD
    })
    expect(sizes).toEqual(EXPECTED)
    const token = seen.find(s => s.url.startsWith('/token'))
    expect(token?.authorization).toBe(basic)
    expect(new URL(token?.url ?? '', 'http://x').searchParams.get('scope')).toBe(
      'repository:acme/app:pull'
    )
    const manifestRequests = seen.filter(s => s.url.includes('/manifests/'))
    expect(manifestRequests).toHaveLength(3)
    for (const r of manifestRequests) {
      expect(r.authorization).toBe(`Bearer ${TOKEN}`)
      expect(r.accept).toContain('application/vnd.oci.image.index.v1+json')
      expect(r.accept).toContain('application/vnd.docker.distribution.manifest.v2+json')
    }
  })

  test('bearer challenge, public image: an anonymous token', async () => {
    reset('bearer', true)
    expect(await platformSizes(`${host}/acme/app`, digest('9'), undefined)).toEqual(EXPECTED)
    expect(seen.find(s => s.url.startsWith('/token'))?.authorization).toBeUndefined()
  })

  test('basic challenge (htpasswd registry): the credentials on every request', async () => {
    reset('basic')
    expect(
      await platformSizes(`${host}/acme/app`, digest('9'), {username: USER, password: PASSWORD})
    ).toEqual(EXPECTED)
  })

  test('an open registry: no auth at all', async () => {
    reset('open')
    expect(await platformSizes(`${host}/acme/app`, digest('9'), undefined)).toEqual(EXPECTED)
    expect(seen.every(s => s.authorization === undefined)).toBe(true)
  })

  test('a single-platform manifest: its platform from the config blob (through a redirect)', async () => {
    reset('open')
    expect(await platformSizes(`${host}/acme/app`, digest('8'), undefined)).toEqual([
      {platform: 'linux/arm64/v8', bytes: 8192}
    ])
  })

  test.each<[string, Mode, {username: string; password: string} | undefined, RegExp]>([
    [
      'wrong password at the token service',
      'bearer',
      {username: USER, password: 'wrong-pass-999'},
      /token service of registry .* answered HTTP 401/
    ],
    [
      'basic registry without credentials',
      'basic',
      undefined,
      /needs credentials to read manifests; none were given/
    ],
    [
      'basic registry, wrong password',
      'basic',
      {username: USER, password: 'wrong-pass-999'},
      /answered HTTP 401 for the manifest/
    ]
  ])('refused: %s', async (_name, m, auth, message) => {
    reset(m)
    const error = await platformSizes(`${host}/acme/app`, digest('9'), auth).then(
      () => undefined,
      (e: Error) => e
    )
    expect(error?.message).toMatch(message)
    expect(error?.message).not.toContain('wrong-pass-999')
  })

  test('an unknown digest names the registry and the repository', async () => {
    reset('open')
    await expect(platformSizes(`${host}/acme/app`, digest('0'), undefined)).rejects.toThrow(
      `registry ${host} answered HTTP 404 for the manifest ${digest('0')} of acme/app`
    )
  })

  test('nothing listening: cannot reach the registry', async () => {
    const closed = http.createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    await expect(
      platformSizes(`127.0.0.1:${port}/acme/app`, digest('9'), undefined)
    ).rejects.toThrow(/cannot reach registry 127\.0\.0\.1:\d+: .*ECONNREFUSED/)
  })
})
