// Which BuildKit ran a build: each dockerd's BuildKit keeps a history record
// per build (`docker buildx history`), with the platforms it built and the
// build args it got. A multi-node build leaves one record on each node.
import {runOk} from './run.js'
import type {Stack} from './stack.js'

export interface BuildRecord {
  id: string
  createdAt: Date
  platforms: string[]
  buildArgs: Record<string, string>
}

/** `docker buildx history` against the BuildKit of the dockerd at `dockerHost` (unix://...). */
function history(stack: Stack, dockerHost: string, args: string[]): Promise<string> {
  return runOk(stack, 'docker', ['buildx', 'history', ...args, '--builder', 'default'], {
    env: {DOCKER_HOST: dockerHost},
    timeoutMs: 30_000
  }).then(r => r.stdout)
}

/** The builds the dockerd at `dockerHost` ran since `since`, newest first. */
export async function buildRecords(
  stack: Stack,
  dockerHost: string,
  since: Date
): Promise<BuildRecord[]> {
  const listed = (await history(stack, dockerHost, ['ls', '--format', 'json']))
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as {ref: string; created_at: string})
    .filter(r => new Date(r.created_at) >= since)
  const records: BuildRecord[] = []
  for (const {ref, created_at} of listed) {
    const id = ref.split('/').pop() ?? ref
    const json = JSON.parse(
      await history(stack, dockerHost, ['inspect', id, '--format', 'json'])
    ) as {Platform?: string[]; BuildArgs?: {Name: string; Value: string}[]}
    records.push({
      id,
      createdAt: new Date(created_at),
      platforms: json.Platform ?? [],
      buildArgs: Object.fromEntries((json.BuildArgs ?? []).map(a => [a.Name, a.Value]))
    })
  }
  return records
}

/** Platforms each record with build arg `name`=`value` built on that dockerd since `since`. */
export async function platformsBuiltWith(
  stack: Stack,
  dockerHost: string,
  since: Date,
  name: string,
  value: string
): Promise<string[][]> {
  const records = await buildRecords(stack, dockerHost, since)
  return records.filter(r => r.buildArgs[name] === value).map(r => r.platforms)
}
