// Runs dist/index.js the way a GitHub runner does: INPUT_* from action.yml
// defaults plus the test's inputs, an event payload file, GITHUB_OUTPUT /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files read back afterwards, and the post
// step fed the state main saved.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {node24} from './node24.js'

export const repoRoot = resolve(import.meta.dirname, '..', '..')

export interface EventSpec {
  name: string
  ref: string
  sha: string
  payload?: object
  repository?: string
  headRef?: string
  baseRef?: string
}

export interface RunOptions {
  inputs?: Record<string, string>
  event: EventSpec
  /** Extra environment (e.g. the sandbox's DOCKER_HOST). */
  env?: Record<string, string | undefined>
  /** Also run the post step with the state main saved. */
  post?: boolean
  timeoutMs?: number
}

export interface StepResult {
  code: number
  stdout: string
  stderr: string
  /** stdout + stderr, for "the secret appears nowhere" assertions. */
  log: string
}

export interface ActionRun extends StepResult {
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  postStep?: StepResult
  dir: string
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-build-action-run-'))
  const files = {
    event: join(dir, 'event.json'),
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md')
  }
  writeFileSync(files.event, JSON.stringify(opts.event.payload ?? {}))
  for (const f of [files.output, files.state, files.summary]) writeFileSync(f, '')
  const env = runnerEnv(opts, dir, files)
  const main = await runStep(env, opts.timeoutMs)
  const state = parseCommandFile(readFileSync(files.state, 'utf8'))
  const run: ActionRun = {
    ...main,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    state,
    dir
  }
  if (opts.post) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
    run.postStep = await runStep({...env, ...stateEnv}, opts.timeoutMs)
  }
  return run
}

function runnerEnv(
  opts: RunOptions,
  dir: string,
  files: Record<string, string>
): Record<string, string | undefined> {
  const ev = opts.event
  const inputs = {...actionDefaults(), ...(opts.inputs ?? {})}
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])
  )
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: ev.name,
    GITHUB_REF: ev.ref,
    GITHUB_SHA: ev.sha,
    GITHUB_REPOSITORY: ev.repository ?? 'wiredquill/k8s-build-action',
    GITHUB_HEAD_REF: ev.headRef ?? '',
    GITHUB_BASE_REF: ev.baseRef ?? '',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: repoRoot,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    ...inputEnv,
    ...(opts.env ?? {})
  }
}

function runStep(env: Record<string, string | undefined>, timeoutMs = 600_000): Promise<StepResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node24(), [join(repoRoot, 'dist', 'index.js')], {
      cwd: repoRoot,
      env: env as NodeJS.ProcessEnv,
      timeout: timeoutMs
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => resolvePromise({code: code ?? -1, stdout, stderr, log: stdout + stderr}))
  })
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE: `name<<DELIM\nvalue\nDELIM` blocks or `name=value` lines. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
    }
  }
  return out
}

/** Input defaults from action.yml, as the runner applies them (`${{ }}` ones left out). */
function actionDefaults(): Record<string, string> {
  const yml = readFileSync(join(repoRoot, 'action.yml'), 'utf8')
  const inputsBlock = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'))
  const defaults: Record<string, string> = {}
  let current = ''
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (name) current = name[1]
    const def = /^ {4}default:\s*'(.*)'\s*$/.exec(line)
    if (def && current && !def[1].includes('${{')) defaults[current] = def[1].replace(/''/g, "'")
  }
  return defaults
}
