// The sandbox stack as e2e tests see it: sandbox.env (written by
// `npm run sandbox:up`) read into a typed Stack, a check that the stack
// answers, and describeStack(), which runs a suite against it, fails it under
// CI when the stack is down, and skips it (with one loud line) elsewhere.
import {describe, it, jest} from '@jest/globals'
import {existsSync, readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {httpRequest} from './http.js'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')

/** Where sandbox.env is read from: $SANDBOX_ENV, else sandbox.env at the repo root. */
export function sandboxEnvPath(): string {
  return process.env.SANDBOX_ENV || resolve(repoRoot, 'sandbox.env')
}

export interface Stack {
  /** Every KEY=VALUE line of sandbox.env, as written by scripts/sandbox/up. */
  vars: Readonly<Record<string, string>>
  /**
   * Environment for child processes: this process's env, then sandbox.env,
   * with SANDBOX_BIN first on PATH (so `docker`, `ntfy`, `dockerd` are the
   * stack's). DOCKER_HOST and DOCKER_CONFIG point at the stack.
   */
  env: NodeJS.ProcessEnv
  /** .sandbox/ (all state) and .sandbox/bin (the stack's programs). */
  dir: string
  bin: string
  /** unix:///.../docker.sock of the stack's dockerd (containerd image store). */
  dockerHost: string
  /** unix:///.../docker.sock of the second, independent dockerd (behind buildkitEndpoint2). */
  dockerHost2: string
  /** The stack's shared docker config dir (has cli-plugins/docker-buildx). */
  dockerConfig: string
  /** Path of the docker-buildx CLI plugin, for private docker config dirs. */
  buildxPlugin: string
  /** Plain registry, host:port (127.0.0.1:5000), http. */
  registry: string
  /** Registry with htpasswd auth and a self-signed certificate, host:port. */
  authRegistry: string
  authRegistryUser: string
  authRegistryPassword: string
  /** PEM file of the auth registry's self-signed certificate. */
  authRegistryCa: string
  /** Remote BuildKit endpoints (tcp://127.0.0.1:1234 and :1235). */
  buildkitEndpoint: string
  buildkitEndpoint2: string
  /**
   * Mutual-TLS BuildKit endpoint (tcp://127.0.0.1:1236, in front of the first
   * dockerd): trust buildkitTlsCa, present buildkitTlsCert/Key (PEM file
   * paths). buildkitTlsWrongCa is an unrelated CA that does not sign it.
   */
  buildkitTlsEndpoint: string
  buildkitTlsCa: string
  buildkitTlsCert: string
  buildkitTlsKey: string
  buildkitTlsWrongCa: string
  /** An address where connect() hangs: packets are dropped, nothing answers. */
  blackholeEndpoint: string
  /** Multi-arch busybox image in the plain registry, to start FROM. */
  baseImage: string
  basePlatforms: string[]
  /** ntfy server with auth: base URL, user/password, and a token of that user. */
  ntfyUrl: string
  ntfyUser: string
  ntfyPassword: string
  ntfyToken: string
  /** scripts/sandbox/endpoint, the endpoint control CLI. */
  endpointCtl: string
}

/** The error for "the stack is not there"; its message says why. */
export class StackDownError extends Error {
  constructor(reason: string) {
    super(`sandbox stack is not up: run \`npm run sandbox:up\` (${reason})`)
    this.name = 'StackDownError'
  }
}

/** Parses KEY=VALUE lines; blank lines and # comments are ignored. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m) vars[m[1]] = m[2].trim()
  }
  return vars
}

function required(vars: Record<string, string>, key: string, file: string): string {
  const value = vars[key]
  if (!value) throw new StackDownError(`${file} has no ${key}; run \`npm run sandbox:up\` again`)
  return value
}

/** Reads sandbox.env into a Stack, without checking that anything answers. */
export function readStack(file = sandboxEnvPath()): Stack {
  if (!existsSync(file)) throw new StackDownError(`${file} does not exist`)
  const vars = parseEnvFile(readFileSync(file, 'utf8'))
  const get = (key: string): string => required(vars, key, file)
  const bin = get('SANDBOX_BIN')
  const env: NodeJS.ProcessEnv = {...process.env, ...vars, PATH: `${bin}:${process.env.PATH ?? ''}`}
  return {
    vars,
    env,
    dir: get('SANDBOX_DIR'),
    bin,
    dockerHost: get('DOCKER_HOST'),
    dockerHost2: get('DOCKER_HOST_2'),
    dockerConfig: get('DOCKER_CONFIG'),
    buildxPlugin: get('DOCKER_BUILDX_PLUGIN'),
    registry: get('REGISTRY'),
    authRegistry: get('AUTH_REGISTRY'),
    authRegistryUser: get('AUTH_REGISTRY_USER'),
    authRegistryPassword: get('AUTH_REGISTRY_PASSWORD'),
    authRegistryCa: get('AUTH_REGISTRY_CA'),
    buildkitEndpoint: get('BUILDKIT_ENDPOINT'),
    buildkitEndpoint2: get('BUILDKIT_ENDPOINT_2'),
    buildkitTlsEndpoint: get('BUILDKIT_TLS_ENDPOINT'),
    buildkitTlsCa: get('BUILDKIT_TLS_CA'),
    buildkitTlsCert: get('BUILDKIT_TLS_CERT'),
    buildkitTlsKey: get('BUILDKIT_TLS_KEY'),
    buildkitTlsWrongCa: get('BUILDKIT_TLS_WRONG_CA'),
    blackholeEndpoint: get('BLACKHOLE_ENDPOINT'),
    baseImage: get('BASE_IMAGE'),
    basePlatforms: get('BASE_IMAGE_PLATFORMS').split(','),
    ntfyUrl: get('NTFY_URL'),
    ntfyUser: get('NTFY_USER'),
    ntfyPassword: get('NTFY_PASSWORD'),
    ntfyToken: get('NTFY_TOKEN'),
    endpointCtl: get('SANDBOX_ENDPOINT_CTL')
  }
}

/**
 * Reads sandbox.env and checks that the stack answers: dockerd on its socket
 * (GET /_ping) and the plain registry (GET /v2/). Throws StackDownError.
 */
export async function loadStack(file = sandboxEnvPath()): Promise<Stack> {
  const stack = readStack(file)
  const socketPath = stack.dockerHost.replace(/^unix:\/\//, '')
  const ping = await httpRequest('http://docker/_ping', {socketPath, timeoutMs: 3000}).catch(
    (err: Error) => {
      throw new StackDownError(`dockerd does not answer on ${socketPath}: ${err.message}`)
    }
  )
  if (ping.status !== 200) throw new StackDownError(`dockerd answered /_ping with ${ping.status}`)
  const v2 = await httpRequest(`http://${stack.registry}/v2/`, {timeoutMs: 3000}).catch(
    (err: Error) => {
      throw new StackDownError(`registry ${stack.registry} does not answer: ${err.message}`)
    }
  )
  if (v2.status !== 200)
    throw new StackDownError(`registry ${stack.registry} answered /v2/ with ${v2.status}`)
  return stack
}

/** True under CI (CI set to anything but "", "0" or "false"), where a missing stack must fail. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase()
  return ci !== '' && ci !== '0' && ci !== 'false'
}

/**
 * Test timeout for files that use this harness: builds take seconds to
 * minutes. (jest ignores `testTimeout` inside a `projects` entry, so the e2e
 * project's setting does not reach the tests.)
 */
export const STACK_TEST_TIMEOUT_MS = 300000
jest.setTimeout(STACK_TEST_TIMEOUT_MS)

// Checked once per test file, when the file is loaded (describe() bodies run
// synchronously, so the answer must be known before they do).
const probe: {stack: Stack} | {reason: string} = await loadStack().then(
  stack => ({stack}),
  (err: Error) => ({reason: err.message})
)

// Stands in for the Stack while the suite is skipped or failing: reading a
// field while tests are being collected gets the same clear message.
function missingStack(message: string): Stack {
  return new Proxy({} as Stack, {
    get(_target, key) {
      throw new Error(`${message} (tried to read stack.${String(key)})`)
    }
  })
}

/**
 * describe() for suites that need the sandbox stack. `fn` gets the Stack;
 * read its fields inside hooks and tests, not while the suite is collected.
 * - Stack up: the suite runs.
 * - Stack down under CI: the suite fails (one test, "has the sandbox stack
 *   up") with "sandbox stack is not up: run `npm run sandbox:up` (why)".
 * - Stack down elsewhere: one loud line on stderr, and the suite is skipped.
 */
export function describeStack(name: string, fn: (stack: Stack) => void): void {
  if ('stack' in probe) {
    describe(name, () => fn(probe.stack))
    return
  }
  const message = probe.reason
  if (isCI()) {
    // One failing test per suite, with the reason; the suite's own tests and
    // hooks are not registered, so nothing else runs against a missing stack.
    describe(name, () => {
      it('has the sandbox stack up', () => {
        throw new Error(message)
      })
    })
    return
  }
  process.stderr.write(
    `\n!!! SKIPPED e2e suite "${name}": ${message}. Under CI=true this fails instead.\n\n`
  )
  describe.skip(name, () => fn(missingStack(message)))
}
