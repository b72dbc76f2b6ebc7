#!/usr/bin/env node
// Benchmarks that print numbers (not timed tests), on the sandbox stack:
//  1. overhead: the bundled action (main + post, under Node 24) against the
//     plain buildx commands it replaces (create the remote builder, build with
//     --push and registry cache, remove the builder), on the same fully cached
//     multi-arch build, measured alternately;
//  2. dead host: how long until the action decides to fall back, for a host
//     that refuses and for one that drops packets.
// Usage: npm run bench [-- --rounds N]
import {execFileSync, spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {node24, repoRoot, runAction} from '../scripts/lib/action-runner.mjs'
import {dockerEnv, loadSandboxEnv} from '../scripts/lib/sandbox-env.mjs'

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7
const stack = loadSandboxEnv()
const env = {...process.env, ...dockerEnv(stack)}
const image = `${stack.REGISTRY}/bench/hello`
const context = join(repoRoot, 'examples', 'hello')
const platforms = 'linux/amd64,linux/arm64'
const sha = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0'
const event = {name: 'push', ref: 'refs/heads/main', sha, payload: {ref: 'refs/heads/main'}}
const inputs = {
  images: image,
  tags: 'type=raw,value=bench\ntype=sha,prefix=commit-',
  context,
  platforms,
  'buildkit-host': stack.BUILDKIT_ENDPOINT,
  password: '',
  summary: 'true'
}

function docker(args) {
  const r = spawnSync('docker', args, {env, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${r.stderr}`)
}

function plainRun(i) {
  const name = `bench-plain-${process.pid}-${i}`
  const cache = `${image}:buildcache`
  const start = performance.now()
  docker(['buildx', 'create', '--name', name, '--driver', 'remote', stack.BUILDKIT_ENDPOINT])
  docker([
    'buildx',
    'build',
    '--builder',
    name,
    '--platform',
    platforms,
    '--tag',
    `${image}:bench`,
    '--tag',
    `${image}:commit-b0b0b0b`,
    '--cache-from',
    `type=registry,ref=${cache}`,
    '--cache-to',
    `type=registry,ref=${cache},mode=max,image-manifest=true,oci-mediatypes=true`,
    '--push',
    context
  ])
  docker(['buildx', 'rm', name])
  return performance.now() - start
}

async function actionRun() {
  const start = performance.now()
  const run = await runAction({event, inputs, env: dockerEnv(stack), post: true})
  const ms = performance.now() - start
  if (run.code !== 0 || run.postStep?.code !== 0) throw new Error(`action failed:\n${run.log}`)
  if (run.outputs.builder !== 'remote')
    throw new Error(`expected the remote builder, got ${run.outputs.builder}`)
  return ms
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = ms => `${(ms / 1000).toFixed(3)} s`

async function overhead() {
  console.log(
    `== overhead: ${rounds} rounds, fully cached ${platforms} build, push + registry cache, remote endpoint`
  )
  node24() // resolve the Node 24 binary outside the timings
  plainRun('warm')
  await actionRun() // warm: cache filled, images in the registry
  const plain = []
  const action = []
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so drift on a noisy machine hits both.
    if (i % 2 === 0) {
      plain.push(plainRun(i))
      action.push(await actionRun())
    } else {
      action.push(await actionRun())
      plain.push(plainRun(i))
    }
    console.log(`  round ${i + 1}: plain ${fmt(plain[i])}  action ${fmt(action[i])}`)
  }
  const ratio = median(action) / median(plain)
  console.log(`plain buildx commands: median ${fmt(median(plain))}`)
  console.log(`k8s-build-action:      median ${fmt(median(action))}`)
  console.log(`overhead ratio:        ${ratio.toFixed(3)}x (target <= 1.15x)`)
  return ratio
}

/** Time from starting the action until it announces the fallback (its warning line). */
async function fallbackDecision(host, connectTimeout, extraInputs = {}) {
  const start = performance.now()
  let decided = 0
  const run = await runAction({
    event,
    inputs: {
      ...inputs,
      'buildkit-host': host,
      'connect-timeout': String(connectTimeout),
      'cache-to': 'type=inline',
      'cache-from': `type=registry,ref=${image}:buildcache`,
      ...extraInputs
    },
    env: dockerEnv(stack),
    post: true,
    onOutput: chunk => {
      if (!decided && /::warning::.*building with buildx on the runner/.test(chunk))
        decided = performance.now() - start
    }
  })
  if (run.outputs.builder !== 'fallback') throw new Error(`expected a fallback build:\n${run.log}`)
  return decided
}

async function deadHost() {
  const timeout = 3
  console.log(
    `== dead host: time from action start to the fallback decision (connect-timeout ${timeout} s)`
  )
  const refused = 'tcp://127.0.0.1:1' // nothing listens on port 1: connection refused
  const refuse = await fallbackDecision(refused, timeout)
  console.log(`refusing host (${refused}):       ${fmt(refuse)} (target <= 1 s)`)
  const silent = await fallbackDecision(stack.BLACKHOLE_ENDPOINT, timeout)
  console.log(
    `silent host (${stack.BLACKHOLE_ENDPOINT}): ${fmt(silent)} (target <= ${timeout + 1} s)`
  )
  // A server whose certificate the given CA did not sign: buildx alone only
  // times out ("context deadline exceeded"); the probe's handshake says why.
  const tls = {
    'buildkit-tls-ca': stack.BUILDKIT_TLS_WRONG_CA,
    'buildkit-tls-cert': stack.BUILDKIT_TLS_CERT,
    'buildkit-tls-key': stack.BUILDKIT_TLS_KEY
  }
  const untrusted = await fallbackDecision(stack.BUILDKIT_TLS_ENDPOINT, timeout, tls)
  console.log(
    `TLS host with an untrusted certificate (${stack.BUILDKIT_TLS_ENDPOINT}): ${fmt(untrusted)}`
  )
}

console.log(
  `buildx: ${execFileSync('docker', ['buildx', 'version'], {env, encoding: 'utf8'}).trim()}`
)
await overhead()
await deadHost()
