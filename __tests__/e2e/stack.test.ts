// The sandbox stack itself, through its real clients: BuildKit (remote
// endpoints, multi-platform, QEMU), the registries, ntfy, and endpoint
// control. If these fail, e2e tests of the action cannot be trusted either.
import {afterAll, afterEach, beforeAll, describe, expect, it} from '@jest/globals'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {endpointStatus, startEndpoint, stopEndpoint} from './support/endpoint.js'
import {httpRequest, tcpConnect} from './support/http.js'
import {ntfyMessages} from './support/ntfy.js'
import {getManifest, indexPlatforms, isIndex, readFileFromImage} from './support/registry.js'
import {
  assertExit,
  createRemoteBuilder,
  docker,
  isolatedDockerConfig,
  run,
  startProcess,
  startWithEnv,
  uniqueName,
  type DockerConfig
} from './support/run.js'
import {describeStack, repoRoot, type Stack} from './support/stack.js'

async function contextDir(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-ctx-'))
  await writeFile(join(dir, 'Dockerfile'), dockerfile)
  return dir
}

describeStack('sandbox stack', (stack: Stack) => {
  let config: DockerConfig
  const dirs: string[] = []
  const context = async (dockerfile: string): Promise<string> => {
    const dir = await contextDir(dockerfile)
    dirs.push(dir)
    return dir
  }
  /** docker buildx build of linux/amd64 and linux/arm64 on `builder`, pushed as `ref`. */
  const pushBothPlatforms = (builder: string, ref: string, ctx: string, buildArgs: string[] = []) =>
    docker(
      stack,
      [
        'buildx',
        'build',
        '--builder',
        builder,
        '--platform',
        'linux/amd64,linux/arm64',
        ...buildArgs.flatMap(arg => ['--build-arg', arg]),
        '-t',
        ref,
        '--push',
        ctx
      ],
      {env: config.env}
    )
  /** docker login to the auth registry as its user, the password on stdin. */
  const login = (password: string) =>
    docker(
      stack,
      ['login', stack.authRegistry, '--username', stack.authRegistryUser, '--password-stdin'],
      {env: config.env, input: password}
    )

  beforeAll(async () => {
    config = await isolatedDockerConfig(stack)
  })

  afterEach(async () => {
    // Whatever a test did, both endpoints are up again for the next one.
    await startEndpoint(stack, stack.buildkitEndpoint)
    await startEndpoint(stack, stack.buildkitEndpoint2)
  })

  afterAll(async () => {
    await config?.remove()
    await Promise.all(dirs.map(dir => rm(dir, {recursive: true, force: true})))
  })

  it('builds linux/amd64 and linux/arm64 through the remote endpoint, pushes, and reads it back', async () => {
    const builder = uniqueName('remote')
    await createRemoteBuilder(stack, config, builder, [{endpoint: stack.buildkitEndpoint}])
    const nonce = uniqueName('nonce')
    const ctx = await context(
      `FROM ${stack.baseImage}\nARG NONCE\nRUN uname -m > /arch && echo "$NONCE" > /nonce\n`
    )
    const ref = `${stack.registry}/e2e/stack-multiarch:${nonce}`
    const build = await pushBothPlatforms(builder, ref, ctx, [`NONCE=${nonce}`])
    expect(assertExit(build).output).toContain('pushing manifest for')

    const index = await getManifest(stack, ref)
    expect(isIndex(index.json)).toBe(true)
    expect(index.mediaType).toMatch(/index|manifest\.list/)
    if (!isIndex(index.json)) return
    expect(indexPlatforms(index.json).sort()).toEqual(['linux/amd64', 'linux/arm64'])
    // The RUN step ran in this build (the nonce is new) and, for arm64, under
    // QEMU: uname inside the arm64 image says aarch64.
    expect(await readFileFromImage(stack, ref, 'linux/arm64', '/arch')).toBe('aarch64\n')
    expect(await readFileFromImage(stack, ref, 'linux/arm64', '/nonce')).toBe(`${nonce}\n`)
    expect(await readFileFromImage(stack, ref, 'linux/amd64', '/arch')).toBe('x86_64\n')
  })

  it('builds on a multi-node builder, each platform on its own endpoint', async () => {
    const builder = uniqueName('multinode')
    await createRemoteBuilder(stack, config, builder, [
      {endpoint: stack.buildkitEndpoint, platforms: ['linux/amd64']},
      {endpoint: stack.buildkitEndpoint2, platforms: ['linux/arm64']}
    ])
    const inspect = await docker(stack, ['buildx', 'inspect', '--bootstrap', builder], {
      env: config.env
    })
    expect(assertExit(inspect).stdout).toContain(stack.buildkitEndpoint)
    expect(inspect.stdout).toContain(stack.buildkitEndpoint2)

    const nonce = uniqueName('nonce')
    const ref = `${stack.registry}/e2e/stack-multinode:${nonce}`
    const ctx = await context(`FROM ${stack.baseImage}\nARG NONCE\nRUN uname -m > /arch\n`)
    const build = await pushBothPlatforms(builder, ref, ctx, [`NONCE=${nonce}`])
    assertExit(build)
    const index = await getManifest(stack, ref)
    expect(isIndex(index.json) && indexPlatforms(index.json).sort()).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
  })

  it('logs in to the auth registry with the right password and refuses a wrong one', async () => {
    const ca = await readFile(stack.authRegistryCa)
    const v2 = `https://${stack.authRegistry}/v2/`
    // Its certificate is valid for 127.0.0.1 under the stack's CA; it wants a login.
    expect((await httpRequest(v2, {ca})).status).toBe(401)
    expect(
      (await httpRequest(v2, {ca, auth: `${stack.authRegistryUser}:${stack.authRegistryPassword}`}))
        .status
    ).toBe(200)
    expect((await httpRequest(v2, {ca, auth: `${stack.authRegistryUser}:wrong`})).status).toBe(401)

    const bad = await login('not-the-password')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).not.toBe('')
    const good = assertExit(await login(stack.authRegistryPassword))
    expect(good.output).toContain('Login Succeeded')
  })

  it('pushes through the remote endpoint to the auth registry with the client credentials', async () => {
    const loggedIn = await login(stack.authRegistryPassword)
    expect(assertExit(loggedIn).output).toContain('Login Succeeded')
    const builder = uniqueName('authpush')
    await createRemoteBuilder(stack, config, builder, [{endpoint: stack.buildkitEndpoint}])
    const tag = uniqueName('t')
    const ref = `${stack.authRegistry}/e2e/private:${tag}`
    const ctx = await context(`FROM ${stack.baseImage}\nRUN echo ${tag} > /tag\n`)
    const build = await pushBothPlatforms(builder, ref, ctx)
    assertExit(build)
    const index = await getManifest(stack, ref)
    expect(isIndex(index.json) && indexPlatforms(index.json).sort()).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
    const anonymous = await httpRequest(
      `https://${stack.authRegistry}/v2/e2e/private/manifests/${tag}`,
      {
        ca: await readFile(stack.authRegistryCa)
      }
    )
    expect(anonymous.status).toBe(401)
  })

  it('publishes to ntfy with the token and reads the message back', async () => {
    const topic = uniqueName('stack')
    const message = `hello from ${topic}`
    // The ntfy CLI reads NTFY_USER ("user[:password]") from the environment,
    // and sandbox.env sets it: drop it so --token is the only credential.
    const publish = await run(
      stack,
      'ntfy',
      [
        'publish',
        '--token',
        stack.ntfyToken,
        '--title',
        'sandbox',
        `${stack.ntfyUrl}/${topic}`,
        message
      ],
      {env: {NTFY_USER: undefined, NTFY_PASSWORD: undefined, NTFY_TOKEN: undefined}}
    )
    assertExit(publish)
    const messages = await ntfyMessages(stack, topic)
    expect(messages.map(m => [m.title, m.message])).toEqual([['sandbox', message]])

    // Without credentials the server refuses both ways.
    const anonymous = await httpRequest(`${stack.ntfyUrl}/${topic}`, {method: 'POST', body: 'x'})
    expect(anonymous.status).toBe(403)
    const anonymousRead = await httpRequest(`${stack.ntfyUrl}/${topic}/json?poll=1`)
    expect(anonymousRead.status).toBe(403)
  })

  it('stops an endpoint and starts it again', async () => {
    const builder = uniqueName('stopstart')
    await createRemoteBuilder(stack, config, builder, [{endpoint: stack.buildkitEndpoint2}])
    const bootstrap = () =>
      docker(stack, ['buildx', 'inspect', '--bootstrap', builder], {
        env: config.env,
        timeoutMs: 60000
      })
    expect(assertExit(await bootstrap()).stdout).toContain('running')

    expect(await stopEndpoint(stack, stack.buildkitEndpoint2)).toBe('down')
    expect(await endpointStatus(stack, stack.buildkitEndpoint2)).toBe('down')
    expect(await tcpConnect(stack.buildkitEndpoint2)).toBe('refused')
    // buildx keeps retrying a refused endpoint until its 20 s deadline.
    const whileDown = await bootstrap()
    expect(whileDown.code).not.toBe(0)
    expect(whileDown.output).toMatch(/context deadline exceeded|connection refused/i)

    expect(await startEndpoint(stack, stack.buildkitEndpoint2)).toBe('up')
    expect(await endpointStatus(stack, stack.buildkitEndpoint2)).toBe('up')
    expect(await tcpConnect(stack.buildkitEndpoint2)).toBe('connected')
    expect(assertExit(await bootstrap()).stdout).toContain('running')
  })

  it('cuts a build off when its endpoint stops in the middle of it', async () => {
    const builder = uniqueName('cut')
    await createRemoteBuilder(stack, config, builder, [{endpoint: stack.buildkitEndpoint2}])
    const marker = uniqueName('started')
    const ctx = await context(`FROM ${stack.baseImage}\nRUN echo ${marker} && sleep 60\n`)
    const started = Date.now()
    const build = startProcess(
      stack,
      'docker',
      [
        'buildx',
        'build',
        '--builder',
        builder,
        '--progress',
        'plain',
        '--platform',
        'linux/amd64',
        ctx
      ],
      {env: config.env, timeoutMs: 120000}
    )
    await build.waitFor(new RegExp(`\\d ${marker}`), 60000)
    await stopEndpoint(stack, stack.buildkitEndpoint2)
    const result = await build.result
    expect(result.timedOut).toBe(false)
    expect(result.code).not.toBe(0)
    // It failed because the connection went, not because the step finished.
    expect(Date.now() - started).toBeLessThan(50000)

    await startEndpoint(stack, stack.buildkitEndpoint2)
    const again = await docker(stack, ['buildx', 'inspect', '--bootstrap', builder], {
      env: config.env
    })
    expect(assertExit(again).stdout).toContain('running')
  })

  it('has a blackhole endpoint where connecting hangs instead of being refused', async () => {
    expect(await tcpConnect(stack.blackholeEndpoint, 1500)).toBe('timeout')
  })
})

// The harness's promise to CI: with the stack down, e2e suites fail under
// CI=true and are skipped (loudly) elsewhere. Checked by running jest on a
// fixture suite with sandbox.env pointed at a file that does not exist.
describe('e2e harness with the stack down', () => {
  const fixture = '__tests__/e2e/support/fixtures/needs-stack.fixture.ts'
  const jest = (ci: string | undefined) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SANDBOX_ENV: join(tmpdir(), 'no-such-dir', 'sandbox.env'),
      NODE_OPTIONS: '--experimental-vm-modules',
      NODE_NO_WARNINGS: '1'
    }
    delete env.CI
    if (ci !== undefined) env.CI = ci
    const config = {
      rootDir: repoRoot,
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
      transform: {'^.+\\.ts$': ['ts-jest', {useESM: true}]},
      testMatch: [`<rootDir>/${fixture}`]
    }
    const bin = join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js')
    return startWithEnv(env, process.execPath, [bin, '--config', JSON.stringify(config), '--ci'], {
      cwd: repoRoot,
      timeoutMs: 120000
    }).result
  }

  it('fails the suite under CI=true, saying to run npm run sandbox:up', async () => {
    const result = await jest('true')
    expect(result.output).toContain('sandbox stack is not up: run `npm run sandbox:up`')
    expect(result.output).toMatch(/Tests:\s+1 failed/)
    expect(result.code).not.toBe(0)
  })

  it('skips the suite outside CI, with one loud line', async () => {
    const result = await jest(undefined)
    expect(result.stderr).toMatch(
      /^!!! SKIPPED e2e suite "needs the stack": sandbox stack is not up/m
    )
    expect(result.output).toMatch(/Tests:\s+1 skipped/)
    expect(result.code).toBe(0)
  })
})
