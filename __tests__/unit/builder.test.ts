import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {createServer, connect, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import type {BuildkitNode} from '../../src/config.js'
import {parseInspect} from '../../src/builder/inspect.js'
import {foreignWithoutEmulation, nativeArch} from '../../src/builder/local.js'
import {probeEndpoint, socketTarget} from '../../src/builder/probe.js'
import {lastErrorLine, remoteCreateArgs, writeTlsFiles} from '../../src/builder/remote.js'
import {buildxText} from '../fixtures/buildx/load.js'

const NO_TLS = {ca: '', cert: '', key: ''}

describe('socketTarget', () => {
  test.each<[string, ReturnType<typeof socketTarget>]>([
    ['tcp://127.0.0.1:1234', {host: '127.0.0.1', port: 1234}],
    ['tcp://buildkit.internal:1234', {host: 'buildkit.internal', port: 1234}],
    ['ssl://buildkit.internal:8443', {host: 'buildkit.internal', port: 8443}],
    ['tls://buildkit.internal:8443', {host: 'buildkit.internal', port: 8443}],
    ['tcp://[::1]:1234', {host: '::1', port: 1234}],
    ['tcp://[fd00::5]:1234', {host: 'fd00::5', port: 1234}],
    ['unix:///run/buildkit/buildkitd.sock', {path: '/run/buildkit/buildkitd.sock'}],
    ['docker-container://buildkitd', undefined],
    ['kube-pod://buildkitd-0', undefined],
    ['ssh://me@buildhost', undefined],
    ['tcp://buildkit.internal', undefined]
  ])('%s', (endpoint, expected) => {
    expect(socketTarget(endpoint)).toEqual(expected)
  })
})

describe('probeEndpoint (loopback only)', () => {
  let server: Server
  let port: number
  let closedPort: number
  const dir = mkdtempSync(join(tmpdir(), 'k8sba-probe-'))
  const socketPath = join(dir, 'buildkitd.sock')
  let unixServer: Server

  beforeAll(async () => {
    server = await listen(createServer(), {host: '127.0.0.1', port: 0})
    port = portOf(server)
    // A port that was just free and is closed again: nothing listens there.
    const closed = await listen(createServer(), {host: '127.0.0.1', port: 0})
    closedPort = portOf(closed)
    await new Promise(r => closed.close(r))
    unixServer = await listen(createServer(), {path: socketPath})
  })

  afterAll(async () => {
    await new Promise(r => server.close(r))
    await new Promise(r => unixServer.close(r))
    rmSync(dir, {recursive: true, force: true})
  })

  test('a listening port answers', async () => {
    const result = await probeEndpoint(`tcp://127.0.0.1:${port}`, 2000)
    expect(result).toMatchObject({ok: true, reason: ''})
    expect(result.ms).toBeLessThan(2000)
  })

  test('a closed port is refused at once', async () => {
    const result = await probeEndpoint(`tcp://127.0.0.1:${closedPort}`, 5000)
    expect(result).toMatchObject({ok: false, reason: 'connection refused'})
    expect(result.ms).toBeLessThan(1000)
  })

  test('a listening unix socket answers', async () => {
    await expect(probeEndpoint(`unix://${socketPath}`, 2000)).resolves.toMatchObject({ok: true})
  })

  test('a missing unix socket says so', async () => {
    await expect(probeEndpoint(`unix://${dir}/missing.sock`, 2000)).resolves.toMatchObject({
      ok: false,
      reason: 'socket does not exist'
    })
  })

  test('schemes that cannot be probed pass through', async () => {
    await expect(probeEndpoint('docker-container://buildkitd', 10)).resolves.toEqual({
      ok: true,
      reason: '',
      ms: 0
    })
  })

  const blackhole = blackholeEndpoint()
  test(`a host that drops packets times out after connect-timeout (${blackhole.what})`, async () => {
    const endpoint = await blackhole.start()
    try {
      const result = await probeEndpoint(endpoint, 500)
      expect(result).toMatchObject({ok: false, reason: 'no answer within 0.5 s (connect-timeout)'})
      expect(result.ms).toBeGreaterThanOrEqual(450)
      expect(result.ms).toBeLessThan(1500)
    } finally {
      blackhole.stop()
    }
  })
})

describe('remoteCreateArgs', () => {
  const one: BuildkitNode[] = [{endpoint: 'tcp://127.0.0.1:1234', platforms: []}]
  const two: BuildkitNode[] = [
    {endpoint: 'tcp://127.0.0.1:1234', platforms: ['linux/amd64']},
    {endpoint: 'tcp://127.0.0.1:1235', platforms: ['linux/arm64', 'linux/arm/v7']}
  ]

  test('one node: create and bootstrap at once', () => {
    expect(remoteCreateArgs('k8sba-1', one, NO_TLS)).toEqual([
      ['buildx', 'create', '--name', 'k8sba-1', '--node', 'k8sba-1-0', '--driver', 'remote'].concat(
        ['--bootstrap', 'tcp://127.0.0.1:1234']
      )
    ])
  })

  test('two nodes: the second appends with its platforms and bootstraps both', () => {
    expect(remoteCreateArgs('k8sba-2', two, NO_TLS)).toEqual([
      ['buildx', 'create', '--name', 'k8sba-2', '--node', 'k8sba-2-0', '--driver', 'remote'].concat(
        ['--platform', 'linux/amd64', 'tcp://127.0.0.1:1234']
      ),
      ['buildx', 'create', '--append', '--name', 'k8sba-2', '--node', 'k8sba-2-1'].concat(
        ['--driver', 'remote', '--platform', 'linux/arm64,linux/arm/v7', '--bootstrap'],
        ['tcp://127.0.0.1:1235']
      )
    ])
  })

  test.each([
    [
      {ca: '/tls/ca.pem', cert: '/tls/cert.pem', key: '/tls/key.pem'},
      'cacert=/tls/ca.pem,cert=/tls/cert.pem,key=/tls/key.pem'
    ],
    [{ca: '/tls/ca.pem', cert: '', key: ''}, 'cacert=/tls/ca.pem'],
    [{ca: '', cert: '/tls/cert.pem', key: '/tls/key.pem'}, 'cert=/tls/cert.pem,key=/tls/key.pem']
  ])('TLS %o -> --driver-opt %s on every node', (tls, opt) => {
    for (const args of remoteCreateArgs('b', two, tls)) {
      expect(args).toContain('--driver-opt')
      expect(args[args.indexOf('--driver-opt') + 1]).toBe(opt)
    }
  })

  test('no TLS: no --driver-opt', () => {
    expect(remoteCreateArgs('b', two, NO_TLS).flat()).not.toContain('--driver-opt')
  })

  test('the endpoint is the last argument', () => {
    const args = remoteCreateArgs('b', two, {ca: '/ca', cert: '', key: ''})
    expect(args.map(a => a[a.length - 1])).toEqual(two.map(n => n.endpoint))
  })
})

describe('writeTlsFiles', () => {
  const PEM = (kind: string): string =>
    `-----BEGIN ${kind}-----\nTUlJQmtUQ0IrZ0lKQU5vdEFSZWFsQ2VydA==\n-----END ${kind}-----`
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'k8sba-tls-test-'))
  })
  afterAll(() => rmSync(root, {recursive: true, force: true}))

  test('PEM text goes to 0600 files in a private 0700 folder', () => {
    const tls = {ca: PEM('CERTIFICATE'), cert: PEM('CERTIFICATE'), key: `${PEM('PRIVATE KEY')}\n`}
    const {files, dir} = writeTlsFiles(tls, root)
    expect(dirname(dir)).toBe(root)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    for (const kind of ['ca', 'cert', 'key'] as const) {
      expect(files[kind]).toBe(join(dir, `${kind}.pem`))
      expect(statSync(files[kind]).mode & 0o777).toBe(0o600)
      // One final newline, whether the input had it or not.
      expect(readFileSync(files[kind], 'utf8')).toBe(`${tls[kind].replace(/\n$/, '')}\n`)
    }
  })

  test('paths are kept as they are, next to PEM text', () => {
    const {files, dir} = writeTlsFiles(
      {ca: '/etc/buildkit/ca.pem', cert: PEM('CERTIFICATE'), key: ''},
      root
    )
    expect(files).toEqual({ca: '/etc/buildkit/ca.pem', cert: join(dir, 'cert.pem'), key: ''})
    expect(existsSync(join(dir, 'ca.pem'))).toBe(false)
  })

  test('only paths (or nothing): no folder is made', () => {
    const tls = {ca: 'certs/ca.pem', cert: '', key: ''}
    expect(writeTlsFiles(tls, root)).toEqual({files: tls, dir: ''})
    expect(writeTlsFiles(NO_TLS, root)).toEqual({files: NO_TLS, dir: ''})
  })
})

describe('lastErrorLine', () => {
  test.each<[string, string]>([
    [buildxText('bootstrap-refused'), 'context deadline exceeded'],
    ['ERROR: first\nsome detail\nERROR: second\n', 'second'],
    ['no ERROR prefix here\n\nlast words  \n', 'last words'],
    ['   \n', 'unknown error'],
    ['', 'unknown error']
  ])('%j -> %s', (stderr, expected) => {
    expect(lastErrorLine(stderr)).toBe(expected)
  })
})

describe('parseInspect', () => {
  const amd64Variants = ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4']

  test('a remote builder with two nodes: endpoint, status, version and platforms per node', () => {
    expect(parseInspect(buildxText('inspect-remote-two-nodes'))).toEqual([
      {
        name: 'fixtures-multi-0',
        endpoint: 'tcp://127.0.0.1:1234',
        status: 'running',
        buildkitVersion: 'v0.0.0+unknown',
        platforms: [...amd64Variants, 'linux/arm64']
      },
      {
        name: 'fixtures-multi-1',
        endpoint: 'tcp://127.0.0.1:1235',
        status: 'running',
        buildkitVersion: 'v0.0.0+unknown',
        platforms: ['linux/arm64', ...amd64Variants]
      }
    ])
  })

  test("docker's default builder", () => {
    expect(parseInspect(buildxText('inspect-default-docker'))).toEqual([
      {
        name: 'default',
        endpoint: 'default',
        status: 'running',
        buildkitVersion: 'v0.0.0+unknown',
        platforms: [...amd64Variants, 'linux/arm64']
      }
    ])
  })

  test('a node whose endpoint is down has no version or platforms', () => {
    expect(parseInspect(buildxText('inspect-remote-node-down'))).toEqual([
      {
        name: 'fixtures-down0',
        endpoint: 'tcp://127.0.0.1:1296',
        status: 'inactive',
        buildkitVersion: '',
        platforms: []
      }
    ])
  })

  test.each(['', 'Name:   lonely\nDriver: remote\n', 'ERROR: no builder "x" found'])(
    'no Nodes section: no nodes (%j)',
    text => {
      expect(parseInspect(text)).toEqual([])
    }
  )
})

describe('foreignWithoutEmulation', () => {
  const native = nativeArch()
  const foreign = native === 'arm64' ? 'amd64' : 'arm64'

  test.each<[string, string[], string[], string[]]>([
    ['the native arch never needs emulation', [`linux/${native}`], [], []],
    ['a foreign arch without binfmt', [`linux/${native}`, `linux/${foreign}`], [], [foreign]],
    ['a foreign arch with binfmt registered', [`linux/${foreign}`], [foreign], []],
    ['variants are one arch, asked once', ['linux/arm/v6', 'linux/arm/v7'], [], ['arm']],
    [
      'only the missing ones',
      ['linux/s390x', 'linux/ppc64le', 'linux/riscv64'],
      ['ppc64le'],
      ['s390x', 'riscv64']
    ],
    ['no platforms', [], [], []]
  ])('%s', (_name, platforms, registered, expected) => {
    const asked: string[] = []
    const hasBinfmt = (arch: string): boolean => {
      asked.push(arch)
      return registered.includes(arch)
    }
    expect(foreignWithoutEmulation(platforms, hasBinfmt)).toEqual(expected)
    expect(asked).not.toContain(native)
  })
})

// --- helpers -----------------------------------------------------------------

function listen(
  server: Server,
  at: {host?: string; port?: number; path?: string}
): Promise<Server> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(at, () => resolveListen(server))
  })
}

function portOf(server: Server): number {
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('not a TCP server')
  return address.port
}

interface Blackhole {
  what: string
  start: () => Promise<string>
  stop: () => void
}

/**
 * Where a connect hangs. With the sandbox stack up, its BLACKHOLE_ENDPOINT
 * (an iptables rule drops the SYN). Without it (the CI unit job has no stack)
 * a loopback port whose accept queue is full: the kernel drops further SYNs
 * the same way. Either way only loopback is touched.
 */
function blackholeEndpoint(): Blackhole {
  const fromStack = process.env.BLACKHOLE_ENDPOINT || sandboxVar('BLACKHOLE_ENDPOINT')
  if (fromStack) {
    const target = socketTarget(fromStack)
    if (!target || !('host' in target) || !target.host.startsWith('127.')) {
      throw new Error(`BLACKHOLE_ENDPOINT ${fromStack} is not a 127.0.0.0/8 tcp endpoint`)
    }
    return {what: `the stack's ${fromStack}`, start: async () => fromStack, stop: () => {}}
  }
  let child: ChildProcess | undefined
  const fillers: Socket[] = []
  return {
    what: 'a loopback port with a full accept queue',
    start: async () => {
      const port = await fullAcceptQueue(c => (child = c), fillers)
      return `tcp://127.0.0.1:${port}`
    },
    stop: () => {
      fillers.forEach(s => s.destroy())
      child?.kill()
    }
  }
}

function sandboxVar(key: string): string {
  const file = resolve(import.meta.dirname, '..', '..', 'sandbox.env')
  if (!existsSync(file)) return ''
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find(l => l.startsWith(`${key}=`))
  return line ? line.slice(key.length + 1).trim() : ''
}

/** A child that listens with backlog 1 and never accepts; two connections fill the queue. */
async function fullAcceptQueue(
  started: (child: ChildProcess) => void,
  fillers: Socket[]
): Promise<number> {
  const script =
    "const s = require('net').createServer();" +
    "s.listen({host: '127.0.0.1', port: 0, backlog: 1}, () => {" +
    "  process.stdout.write(s.address().port + '\\n');" +
    // Blocks the child's event loop, so nothing is ever accepted.
    '  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000)' +
    '})'
  const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']})
  started(child)
  const port = await new Promise<number>((ok, fail) => {
    child.stdout?.once('data', (d: Buffer) => ok(Number(d.toString().trim())))
    child.once('exit', code => fail(new Error(`the listening child exited (${code})`)))
  })
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>(ok => {
          const socket = connect({host: '127.0.0.1', port}, () => ok())
          socket.on('error', () => {}) // reset when the child goes
          fillers.push(socket)
        })
    )
  )
  return port
}
