// The bundled action under Node 24, driven only by the environment a runner
// sets (no stack needed): dry runs for a tag push, a branch push and a PR.
import {describe, expect, it, jest} from '@jest/globals'
import {runAction} from '../../scripts/lib/action-runner.mjs'

const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const headSha = 'ffeeddccbbaa99887766554433221100ffeeddcc'
const image = 'ghcr.io/wiredquill/k8s-build-action'
const repository = {
  name: 'k8s-build-action',
  full_name: 'wiredquill/k8s-build-action',
  owner: {login: 'wiredquill'},
  html_url: 'https://github.com/wiredquill/k8s-build-action',
  description: 'Builds images on your own BuildKit',
  default_branch: 'main',
  license: {spdx_id: 'MIT'}
}
const dryRun = {'dry-run': 'true', password: 'not-used-in-dry-run'}

// The first run may fetch Node 24 from the npm registry.
jest.setTimeout(120_000)

describe('dry run of the bundled action under Node 24', () => {
  it('tags a semver tag push with version, minor, major, latest and commit', async () => {
    const run = await runAction({
      inputs: dryRun,
      event: {
        name: 'push',
        ref: 'refs/tags/v1.2.3',
        sha,
        payload: {ref: 'refs/tags/v1.2.3', repository}
      }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.tags.split('\n')).toEqual(
      ['v1.2.3', 'v1.2', 'v1', 'latest', 'commit-a1b2c3d'].map(t => `${image}:${t}`)
    )
    expect(run.outputs.version).toBe('v1.2.3')
    expect(run.outputs.labels).toContain(`org.opencontainers.image.revision=${sha}`)
    expect(run.outputs.labels).toContain('org.opencontainers.image.licenses=MIT')
    expect(JSON.parse(run.outputs.json).tags).toContain(`${image}:v1.2`)
    expect(run.summary).toContain('Dry run')
    expect(run.summary).toContain(`${image}:v1.2.3`)
    expect(run.summary).toContain('refs/tags/v1.2.3')
  })

  it('tags a feature branch push with the branch, a dev timestamp and the commit', async () => {
    const run = await runAction({
      inputs: dryRun,
      event: {
        name: 'push',
        ref: 'refs/heads/feature/login',
        sha,
        payload: {ref: 'refs/heads/feature/login', repository}
      }
    })
    expect(run.code).toBe(0)
    const tags = run.outputs.tags.split('\n')
    expect(tags[0]).toBe(`${image}:feature-login`)
    expect(tags[1]).toMatch(new RegExp(`^${image}:dev-\\d{8}-\\d{6}$`))
    expect(tags[2]).toBe(`${image}:commit-a1b2c3d`)
    expect(tags).toHaveLength(3)
    expect(run.summary).toContain('feature-login')
  })

  it('tags a pull request with pr-N and the head commit, and says nothing is pushed', async () => {
    const payload = {
      number: 42,
      pull_request: {
        number: 42,
        head: {sha: headSha, ref: 'fix/a', repo: {full_name: 'wiredquill/k8s-build-action'}},
        base: {ref: 'main', repo: {full_name: 'wiredquill/k8s-build-action'}}
      },
      repository
    }
    const run = await runAction({
      inputs: dryRun,
      event: {
        name: 'pull_request',
        ref: 'refs/pull/42/merge',
        sha,
        payload,
        headRef: 'fix/a',
        baseRef: 'main'
      }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.tags.split('\n')).toEqual([`${image}:pr-42`, `${image}:test-ffeeddc`])
    expect(run.summary).toContain('#42')
    expect(run.summary).toContain('not pushed: dry run')
  })

  it('fails the step with a message naming the input on bad input', async () => {
    const run = await runAction({
      inputs: {...dryRun, platforms: 'linux/amd65'},
      event: {name: 'push', ref: 'refs/heads/main', sha, payload: {repository}}
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::.*platforms.*linux\/amd65/)
    expect(run.outputs.tags).toBeUndefined()
  })
})
