// Runs dist/index.js the way a GitHub runner does: INPUT_* from action.yml
// defaults plus the caller's inputs, an event payload file, GITHUB_OUTPUT /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files read back afterwards, and the post
// step fed the state main saved. Shared by the e2e tests, the demo and the
// benchmark (plain JS so all three can load it; types in action-runner.d.mts).
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '..', '..')

let node24Path = ''

/** runs.using is node24: run under Node 24 from the npm registry, resolving the binary once (npx costs ~1 s). */
export function node24() {
  if (!node24Path) {
    node24Path = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
      encoding: 'utf8'
    }).trim()
  }
  return node24Path
}

export async function runAction(opts) {
  const dir = mkdtempSync(join(opts.tempRoot ?? tmpdir(), 'k8s-build-action-run-'))
  const files = {
    event: join(dir, 'event.json'),
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md')
  }
  writeFileSync(files.event, JSON.stringify(opts.event.payload ?? {}))
  for (const f of [files.output, files.state, files.summary]) writeFileSync(f, '')
  const env = runnerEnv(opts, dir, files)
  const main = await runStep('index.js', env, opts)
  const state = parseCommandFile(readFileSync(files.state, 'utf8'))
  const run = {
    ...main,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    state,
    dir
  }
  if (opts.post) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
    run.postStep = await runStep(join('post', 'index.js'), {...env, ...stateEnv}, opts)
  }
  return run
}

function runnerEnv(opts, dir, files) {
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

function runStep(entry, env, opts) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node24(), [join(repoRoot, 'dist', entry)], {
      cwd: opts.cwd ?? repoRoot,
      env,
      timeout: opts.timeoutMs ?? 600_000
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => {
      stdout += d
      opts.onOutput?.(String(d))
    })
    child.stderr.on('data', d => {
      stderr += d
      opts.onOutput?.(String(d))
    })
    child.on('error', reject)
    child.on('close', code =>
      resolvePromise({code: code ?? -1, stdout, stderr, log: stdout + stderr})
    )
  })
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE: `name<<DELIM\nvalue\nDELIM` blocks or `name=value` lines. */
export function parseCommandFile(text) {
  const out = {}
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
function actionDefaults() {
  const yml = readFileSync(join(repoRoot, 'action.yml'), 'utf8')
  const inputsBlock = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'))
  const defaults = {}
  let current = ''
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (name) current = name[1]
    const def = /^ {4}default:\s*'(.*)'\s*$/.exec(line)
    if (def && current && !def[1].includes('${{')) defaults[current] = def[1].replace(/''/g, "'")
  }
  return defaults
}
