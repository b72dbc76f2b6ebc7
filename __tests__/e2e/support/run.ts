// Running the stack's real clients (docker, docker buildx, ntfy) from tests:
// always an argument array, never a shell string, with the stack's env.
import {spawn, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdir, mkdtemp, rm, symlink} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Stack} from './stack.js'

export interface RunOptions {
  cwd?: string
  /** Added on top of stack.env (e.g. {DOCKER_CONFIG: dir}). */
  env?: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed (e.g. a password for --password-stdin). */
  input?: string
  /** SIGKILL after this long; the result then has `timedOut: true`. Default 5 minutes. */
  timeoutMs?: number
}

export interface RunResult {
  command: string
  code: number
  stdout: string
  stderr: string
  /** stdout and stderr, interleaved as they arrived. */
  output: string
  timedOut: boolean
}

export interface RunningProcess {
  child: ChildProcess
  /** stdout and stderr so far. */
  output(): string
  /** Resolves with the output once it matches `pattern`; rejects on timeout or exit first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Resolves when the process exits (never rejects for a non-zero exit). */
  result: Promise<RunResult>
}

/**
 * Starts `file args...` with the stack's env and returns at once: for tests
 * that act while a command runs (stop an endpoint in the middle of a build).
 */
export function startProcess(
  stack: Stack,
  file: string,
  args: string[],
  options: RunOptions = {}
): RunningProcess {
  return startWithEnv(stack.env, file, args, options)
}

/** startProcess() with a base environment instead of a Stack (for when there is none). */
export function startWithEnv(
  baseEnv: NodeJS.ProcessEnv,
  file: string,
  args: string[],
  options: RunOptions = {}
): RunningProcess {
  const command = [file, ...args].join(' ')
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: {...baseEnv, ...options.env},
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  let output = ''
  const listeners = new Set<() => void>()
  const onData = (which: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8')
    if (which === 'out') stdout += text
    else stderr += text
    output += text
    for (const listener of listeners) listener()
  }
  child.stdout?.on('data', onData('out'))
  child.stderr?.on('data', onData('err'))
  child.stdin?.end(options.input ?? '')
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, options.timeoutMs ?? 300000)
  const result = new Promise<RunResult>((resolve, reject) => {
    child.on('error', err => {
      clearTimeout(timer)
      reject(new Error(`cannot run ${command}: ${err.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      for (const listener of listeners) listener()
      resolve({command, code: code ?? (signal ? 128 : 1), stdout, stderr, output, timedOut})
    })
  })
  const waitFor = (pattern: RegExp, timeoutMs = 60000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(output)) {
          done()
          resolve(output)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done()
          reject(new Error(`${command} exited before printing ${pattern}:\n${output}`))
        }
      }
      const deadline = setTimeout(() => {
        done()
        reject(new Error(`${command}: no ${pattern} within ${timeoutMs} ms:\n${output}`))
      }, timeoutMs)
      const done = (): void => {
        clearTimeout(deadline)
        listeners.delete(check)
      }
      listeners.add(check)
      check()
    })
  return {child, output: () => output, waitFor, result}
}

/** Runs `file args...` with the stack's env; resolves with the exit code, never rejects for one. */
export function run(
  stack: Stack,
  file: string,
  args: string[],
  options: RunOptions = {}
): Promise<RunResult> {
  return startProcess(stack, file, args, options).result
}

/** Like run(), but rejects (with the command's output) unless it exits 0. */
export async function runOk(
  stack: Stack,
  file: string,
  args: string[],
  options: RunOptions = {}
): Promise<RunResult> {
  return assertExit(await run(stack, file, args, options))
}

/**
 * Throws, with the command's output, unless it exited with `code`: use it
 * where a plain expect(result.code) would hide why a command failed.
 */
export function assertExit(result: RunResult, code = 0): RunResult {
  if (result.code !== code) {
    throw new Error(
      `${result.command} exited ${result.code}, expected ${code}:\n${result.output.slice(-4000)}`
    )
  }
  return result
}

/** The stack's docker CLI (DOCKER_HOST is the stack's dockerd). */
export function docker(stack: Stack, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run(stack, 'docker', args, options)
}

/** A name no other test run uses: lowercase, fit for image repos, tags, topics, builders. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
}

export interface DockerConfig {
  dir: string
  /** stack.env with DOCKER_CONFIG set to `dir`: pass as RunOptions.env. */
  env: NodeJS.ProcessEnv
  remove(): Promise<void>
}

/**
 * A private, empty DOCKER_CONFIG with the buildx plugin, so logins and
 * builders a test creates stay out of the shared one (and out of ~/.docker).
 */
export async function isolatedDockerConfig(stack: Stack): Promise<DockerConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-docker-config-'))
  await mkdir(join(dir, 'cli-plugins'))
  await symlink(stack.buildxPlugin, join(dir, 'cli-plugins', 'docker-buildx'))
  return {dir, env: {DOCKER_CONFIG: dir}, remove: () => rm(dir, {recursive: true, force: true})}
}

export interface BuilderNode {
  /** tcp://host:port of a BuildKit endpoint. */
  endpoint: string
  /** Platforms this node builds, e.g. ['linux/amd64']; all it has if omitted. */
  platforms?: string[]
}

/**
 * Creates a buildx builder with the remote driver: one node per entry, so
 * two entries make a multi-node builder. Lives in `config`.
 */
export async function createRemoteBuilder(
  stack: Stack,
  config: DockerConfig,
  name: string,
  nodes: BuilderNode[]
): Promise<void> {
  for (const [i, node] of nodes.entries()) {
    const args = [
      'buildx',
      'create',
      '--name',
      name,
      '--driver',
      'remote',
      '--node',
      `${name}-${i}`
    ]
    if (node.platforms) args.push('--platform', node.platforms.join(','))
    if (i > 0) args.push('--append')
    await runOk(stack, 'docker', [...args, node.endpoint], {env: config.env})
  }
}
