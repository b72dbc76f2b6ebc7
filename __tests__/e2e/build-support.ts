// Shared by the build, fallback and registry-auth e2e suites: events a runner
// would deliver, the environment that points the bundled action at the
// sandbox stack, a run of it there (main and post), and readers for what a
// run left behind (registry tags, annotations, cached steps, builders, temp
// folders, logins).
import {expect} from '@jest/globals'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {
  runAction,
  type ActionRun,
  type EventSpec,
  type RunOptions
} from '../../scripts/lib/action-runner.mjs'
import {httpRequest} from './support/http.js'
import {docker, type DockerConfig} from './support/run.js'
import type {Stack} from './support/stack.js'

export const sha = 'c0ffee0123456789abcdef0123456789abcdef01'
export const sha7 = sha.slice(0, 7)

export const repository = {
  name: 'k8s-build-action',
  full_name: 'wiredquill/k8s-build-action',
  owner: {login: 'wiredquill'},
  html_url: 'https://github.com/wiredquill/k8s-build-action',
  description: 'e2e build',
  default_branch: 'main',
  license: {spdx_id: 'MIT'}
}

/** A push to main, the repository's default branch: tags latest, dev-<time>, commit-<sha7>. */
export function pushToMain(): EventSpec {
  return {name: 'push', ref: 'refs/heads/main', sha, payload: {ref: 'refs/heads/main', repository}}
}

/** A push of a tag, e.g. v1.2.3. */
export function tagPush(tag: string): EventSpec {
  const ref = `refs/tags/${tag}`
  return {name: 'push', ref, sha, payload: {ref, repository}}
}

/** Pull request #7 from a fork (its head repository is not the base repository). */
export function forkPullRequest(): EventSpec {
  const headSha = 'feedface0123456789abcdef0123456789abcdef'
  return {
    name: 'pull_request',
    ref: 'refs/pull/7/merge',
    sha,
    headRef: 'fix/typo',
    baseRef: 'main',
    payload: {
      number: 7,
      pull_request: {
        number: 7,
        head: {sha: headSha, ref: 'fix/typo', repo: {full_name: 'someone-else/k8s-build-action'}},
        base: {ref: 'main', repo: {full_name: repository.full_name}}
      },
      repository
    }
  }
}

/**
 * The environment a runner on the sandbox would have: the stack's docker
 * (DOCKER_HOST, PATH with the stack's binaries) and a private DOCKER_CONFIG,
 * so builders and logins of one test stay out of the others.
 */
export function actionEnv(stack: Stack, config: DockerConfig): Record<string, string> {
  return {DOCKER_HOST: stack.dockerHost, DOCKER_CONFIG: config.dir, PATH: stack.env.PATH ?? ''}
}

/** Inputs every build shares: no ntfy, and no login unless a test gives a password. */
export function baseInputs(image: string): Record<string, string> {
  return {images: image, password: '', 'ntfy-url': ''}
}

/** A build of `image`: the inputs on top of baseInputs(image), and the event and hooks of the run. */
export type Build = Omit<RunOptions, 'inputs' | 'env' | 'post'> & {
  image: string
  inputs: Record<string, string>
}

/**
 * The bundled action, main then post, as a runner on the sandbox stack runs
 * it (actionEnv: the stack's docker, `config` as DOCKER_CONFIG).
 */
export function runBuild(stack: Stack, config: DockerConfig, build: Build): Promise<ActionRun> {
  const {image, inputs, ...options} = build
  return runAction({
    ...options,
    inputs: {...baseInputs(image), ...inputs},
    env: actionEnv(stack, config),
    post: true
  })
}

/** Everything a step printed, main and post, stdout and stderr. */
export function fullLog(run: ActionRun): string {
  return run.log + (run.postStep?.log ?? '')
}

/**
 * What a person sees of a step's log: the runner consumes `::add-mask::`
 * commands (they carry the secret, to mask it) and never shows them.
 */
export function visibleLog(log: string): string {
  return log
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
}

/** Messages of `::warning ...::msg` / `::error ...::msg` workflow commands, unescaped. */
export function annotations(log: string, level: 'warning' | 'error' | 'notice'): string[] {
  const re = new RegExp(`^::${level}(?: [^:]*)?::(.*)$`, 'gm')
  return [...log.matchAll(re)].map(m =>
    m[1].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
  )
}

/** The full `::error ...::...` command lines, properties included. */
export function errorCommands(log: string): string[] {
  return log.split('\n').filter(l => l.startsWith('::error'))
}

/**
 * Dockerfile steps (RUN, COPY... per platform, FROM left out) of buildx's
 * plain progress, and which of them came from a cache: buildx printed
 * `#N CACHED`, or the step only pulled its cached layers (`#N sha256:... done`:
 * BuildKit loads a registry-cached step lazily, when the export needs it, and
 * buildx then often prints DONE for it instead of CACHED).
 */
export function cachedSteps(log: string): {steps: string[]; cached: string[]} {
  const steps = new Map<string, string>()
  for (const m of log.matchAll(/^#(\d+) (\[[^\]]*\d+\/\d+\] (\S+).*)$/gm)) {
    if (m[3] !== 'FROM') steps.set(m[1], m[2])
  }
  const hits = new Set(
    [...log.matchAll(/^#(\d+) (?:CACHED$|sha256:[0-9a-f]{64} \S+ \/ \S+)/gm)].map(m => m[1])
  )
  return {
    steps: [...steps.values()],
    cached: [...steps].filter(([n]) => hits.has(n)).map(s => s[1])
  }
}

/** Output lines of RUN steps that ran (examples/steps' RUNs print "running: ..."). */
export function ranSteps(log: string): string[] {
  return [...log.matchAll(/^#\d+ [\d.]+ (running: .*)$/gm)].map(m => m[1])
}

/** Tags of `image` (host:port/repo) in the registry; [] when the repository does not exist. */
export async function registryTags(stack: Stack, image: string): Promise<string[]> {
  const slash = image.indexOf('/')
  const registry = image.slice(0, slash)
  const repo = image.slice(slash + 1)
  const auth = registry === stack.authRegistry
  const res = await httpRequest(
    `${auth ? 'https' : 'http'}://${registry}/v2/${repo}/tags/list`,
    auth
      ? {
          ca: readFileSync(stack.authRegistryCa),
          auth: `${stack.authRegistryUser}:${stack.authRegistryPassword}`
        }
      : {}
  )
  if (res.status === 404) return []
  if (res.status !== 200) throw new Error(`tags of ${image}: HTTP ${res.status} ${res.text()}`)
  return res.json<{tags: string[] | null}>().tags ?? []
}

/** tcp://127.0.0.1:PORT where nothing listens: connecting is refused, as at a host whose BuildKit is down. */
export async function refusingEndpoint(): Promise<string> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise(resolve => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no port')
  return `tcp://127.0.0.1:${address.port}`
}

/** Names of the buildx builders in `config` that this action creates (k8s-build-*). */
export async function actionBuilders(stack: Stack, config: DockerConfig): Promise<string[]> {
  const ls = await docker(stack, ['buildx', 'ls', '--format', '{{.Name}}'], {env: config.env})
  expect(ls.code).toBe(0)
  return ls.stdout.split('\n').filter(name => name.startsWith('k8s-build-'))
}

/** Registries with a login in `config`'s config.json. */
export function loggedInRegistries(config: DockerConfig): string[] {
  const file = join(config.dir, 'config.json')
  if (!existsSync(file)) return []
  const json = JSON.parse(readFileSync(file, 'utf8')) as {auths?: Record<string, unknown>}
  return Object.keys(json.auths ?? {})
}

/** The k8s-build-* folders in a run's RUNNER_TEMP. */
export function tempLeftovers(run: ActionRun): string[] {
  return readdirSync(run.dir).filter(name => name.startsWith('k8s-build-'))
}

/** What main told post to remove (the cleanup state it saved). */
export function cleanupState(run: ActionRun): {
  builders: string[]
  dirs: string[]
  logins: string[]
} {
  return JSON.parse(run.state.cleanup ?? '{"builders":[],"dirs":[],"logins":[]}') as {
    builders: string[]
    dirs: string[]
    logins: string[]
  }
}

/**
 * After a run with its post step: post succeeded, and nothing the action
 * created is left: no k8s-build-* builder, no temp folder, no login.
 */
export async function expectCleanedUp(
  stack: Stack,
  config: DockerConfig,
  run: ActionRun
): Promise<void> {
  expect(run.postStep?.code).toBe(0)
  expect(annotations(run.postStep?.log ?? '', 'warning')).toEqual([])
  expect(await actionBuilders(stack, config)).toEqual([])
  expect(tempLeftovers(run)).toEqual([])
  for (const dir of cleanupState(run).dirs) expect(existsSync(dir)).toBe(false)
  expect(loggedInRegistries(config)).toEqual([])
}
