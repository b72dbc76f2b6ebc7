// The post step: remove what main created (builders, temp folders, logins).
// Deliberately tiny (no @actions/core): it runs at the end of every job.
import {rmSync} from 'node:fs'
import {docker} from './docker.js'
import {CLEANUP_STATE_KEY, parseCleanupState} from './cleanup-state.js'

export async function cleanup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const state = parseCleanupState(env[`STATE_${CLEANUP_STATE_KEY}`])
  for (const dir of state.dirs) rmSync(dir, {recursive: true, force: true})
  await Promise.all([
    ...state.builders.map(name => quietly(['buildx', 'rm', '--force', name])),
    ...state.logins.map(registry => quietly(['logout', registry]))
  ])
}

async function quietly(args: string[]): Promise<void> {
  const result = await docker(args, {timeoutMs: 60_000})
  const what = `docker ${args.join(' ')}`
  if (result.code === 0) console.log(`${what}: done`)
  // A workflow command, written by hand here (see the header comment).
  else console.log(`::warning::${what} failed: ${result.stderr.trim().replace(/\n/g, '%0A')}`)
}

await cleanup()
