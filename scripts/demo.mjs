#!/usr/bin/env node
// The demo: runs the bundled action (dist/, under Node 24) the way a runner
// would, on examples/hello, against the sandbox stack's remote BuildKit
// endpoint, pushing a multi-arch image to the sandbox registry. Prints the
// outputs and the job summary. `--dry-run` computes tags only.
import {runAction} from './lib/action-runner.mjs'
import {dockerEnv, loadSandboxEnv} from './lib/sandbox-env.mjs'

const stack = loadSandboxEnv()

const sha = process.env.DEMO_SHA ?? '0123456789abcdef0123456789abcdef01234567'
const repository = {
  name: 'k8s-build-action',
  full_name: 'wiredquill/k8s-build-action',
  owner: {login: 'wiredquill'},
  html_url: 'https://github.com/wiredquill/k8s-build-action',
  description: 'Demo build of examples/hello',
  default_branch: 'main',
  license: {spdx_id: 'MIT'}
}

console.log(`==> running dist/index.js (Node 24) on examples/hello via ${stack.BUILDKIT_ENDPOINT}`)
const run = await runAction({
  event: {name: 'push', ref: 'refs/heads/main', sha, payload: {ref: 'refs/heads/main', repository}},
  inputs: {
    images: `${stack.REGISTRY}/demo/hello`,
    context: 'examples/hello',
    platforms: 'linux/amd64,linux/arm64',
    'buildkit-host': stack.BUILDKIT_ENDPOINT,
    password: '',
    'ntfy-url': `${stack.NTFY_URL}/demo`,
    'ntfy-token': stack.NTFY_TOKEN,
    'dry-run': process.argv.includes('--dry-run') ? 'true' : 'false'
  },
  env: dockerEnv(stack),
  post: true,
  onOutput: chunk => process.stdout.write(chunk)
})

console.log('\n==> outputs')
for (const [name, value] of Object.entries(run.outputs)) {
  console.log(`${name}: ${value.length > 300 ? `${value.slice(0, 300)}...` : value}`)
}
console.log('\n==> job summary (GITHUB_STEP_SUMMARY)\n')
console.log(run.summary)
console.log(`==> main exited ${run.code}, post exited ${run.postStep?.code}`)
process.exit(run.code || run.postStep?.code || 0)
