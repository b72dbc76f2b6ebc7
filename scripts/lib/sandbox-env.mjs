// Reads sandbox.env (written by `npm run sandbox:up`) for the demo and the
// benchmark; the e2e tests use __tests__/e2e/support/stack.ts.
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from './action-runner.mjs'

export function loadSandboxEnv() {
  const file = join(repoRoot, 'sandbox.env')
  if (!existsSync(file)) {
    console.error('sandbox.env not found: run `npm run sandbox:up` first')
    process.exit(1)
  }
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(l => /^[A-Z_0-9]+=/.test(l))
      .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  )
}

/** The environment a runner-like process needs to reach the sandbox's docker. */
export function dockerEnv(stack) {
  return {
    DOCKER_HOST: stack.DOCKER_HOST,
    DOCKER_CONFIG: stack.DOCKER_CONFIG,
    PATH: `${stack.SANDBOX_BIN}:${process.env.PATH}`
  }
}
