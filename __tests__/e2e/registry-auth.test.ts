// Registry login through dist/index.js on the sandbox's auth registry
// (htpasswd, self-signed TLS): good credentials push, bad ones fail naming
// the registry and never show the password, and a pull request from a fork
// builds without logging in or pushing.
import {afterEach, beforeEach, expect, it} from '@jest/globals'
import {
  annotations,
  cleanupState,
  expectCleanedUp,
  forkPullRequest,
  fullLog,
  registryTags,
  runBuild,
  tagPush,
  visibleLog
} from './build-support.js'
import {getManifest, indexPlatforms, isIndex} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

describeStack('registry login', (stack: Stack) => {
  let config: DockerConfig

  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterEach(async () => {
    await config?.remove()
  })

  const authInputs = (password: string): Record<string, string> => ({
    context: 'examples/hello',
    'buildkit-host': stack.buildkitEndpoint,
    username: stack.authRegistryUser,
    password
  })

  it('logs in with good credentials, pushes a tag release, and logs out in post', async () => {
    const image = `${stack.authRegistry}/e2e/${uniqueName('auth-good')}`
    const run = await runBuild(stack, config, {
      event: tagPush('v2.1.0'),
      image,
      inputs: {...authInputs(stack.authRegistryPassword), platforms: 'linux/amd64,linux/arm64'}
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('remote')
    expect(cleanupState(run).logins).toEqual([stack.authRegistry])
    const tags = run.outputs.tags.split('\n')
    expect(tags.map(ref => ref.slice(image.length + 1))).toEqual([
      'v2.1.0',
      'v2.1',
      'v2',
      'latest',
      expect.stringMatching(/^commit-[0-9a-f]{7}$/)
    ])
    // Read back with the registry's credentials (anonymous reads get 401).
    for (const ref of tags) {
      const index = await getManifest(stack, ref)
      expect(index.digest).toBe(run.outputs.digest)
      expect(isIndex(index.json) && indexPlatforms(index.json).sort()).toEqual([
        'linux/amd64',
        'linux/arm64'
      ])
    }
    await getManifest(stack, `${image}:buildcache`)
    // The password was masked (::add-mask::) and shows nowhere else.
    expect(run.stdout).toContain(`::add-mask::${stack.authRegistryPassword}`)
    expect(visibleLog(fullLog(run))).not.toContain(stack.authRegistryPassword)
    expect(run.summary).not.toContain(stack.authRegistryPassword)
    await expectCleanedUp(stack, config, run)
  })

  it('fails clearly with bad credentials, without showing the password or pushing', async () => {
    const image = `${stack.authRegistry}/e2e/${uniqueName('auth-bad')}`
    const password = `wrong-${uniqueName('pw')}`
    const run = await runBuild(stack, config, {
      event: tagPush('v2.2.0'),
      image,
      inputs: {...authInputs(password), platforms: 'linux/amd64'}
    })
    expect(run.code).toBe(1)
    const errors = annotations(run.log, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`Login to registry ${stack.authRegistry}`)
    expect(errors[0]).toContain('the registry rejected the credentials')
    expect(errors[0]).toMatch(/"username" and "password" inputs/)
    expect(run.log).not.toMatch(/^::group::Build on/m)
    expect(run.summary).toContain(stack.authRegistry)
    expect(visibleLog(fullLog(run))).not.toContain(password)
    expect(run.summary).not.toContain(password)
    expect(await registryTags(stack, image)).toEqual([])
    await expectCleanedUp(stack, config, run)
  })

  it('builds a pull request from a fork without logging in or pushing', async () => {
    const image = `${stack.authRegistry}/e2e/${uniqueName('auth-fork')}`
    // A login with this password would fail the step: success proves there was none.
    const password = `wrong-${uniqueName('pw')}`
    const run = await runBuild(stack, config, {
      event: forkPullRequest(),
      image,
      inputs: {...authInputs(password), platforms: 'linux/amd64'}
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('remote')
    expect(run.outputs.tags.split('\n')).toEqual([`${image}:pr-7`, `${image}:test-feedfac`])
    expect(annotations(run.log, 'warning')).toContain('Not pushing: pull request from a fork')
    expect(run.log).toMatch(/^::group::Build on /m)
    expect(run.log).not.toMatch(/^#\d+ pushing/m)
    expect(cleanupState(run).logins).toEqual([])
    expect(run.summary).toContain('pull request from a fork')
    expect(visibleLog(fullLog(run))).not.toContain(password)
    expect(await registryTags(stack, image)).toEqual([])
    await expectCleanedUp(stack, config, run)
  })
})
