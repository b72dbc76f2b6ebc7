// The build-and-push path of the bundled action (dist/, Node 24) on the
// sandbox stack: a multi-arch build on the remote BuildKit endpoint pushed
// with all its tags and registry cache, cache reuse by another BuildKit,
// Dockerfile errors annotated at their line, and the post step's cleanup.
import {afterEach, beforeEach, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {node24, repoRoot, runAction, type StepResult} from '../../scripts/lib/action-runner.mjs'
import {
  actionBuilders,
  actionEnv,
  annotations,
  baseInputs,
  cachedSteps,
  cleanupState,
  errorCommands,
  expectCleanedUp,
  fullLog,
  loggedInRegistries,
  pushToMain,
  ranSteps,
  registryTags,
  runBuild,
  sha7,
  tagPush,
  tempLeftovers,
  visibleLog
} from './build-support.js'
import {getManifest, indexPlatforms, isIndex, readFileFromImage} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

const bothPlatforms = 'linux/amd64,linux/arm64'

describeStack('build and push through dist/index.js', (stack: Stack) => {
  let config: DockerConfig

  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterEach(async () => {
    await config?.remove()
  })

  it('builds linux/amd64 and linux/arm64 on the remote host and pushes every tag and the cache', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('build-remote')}`
    const nonce = uniqueName('nonce')
    const run = await runBuild(stack, config, {
      event: pushToMain(),
      image,
      inputs: {
        context: 'examples/steps',
        platforms: bothPlatforms,
        'build-args': `NONCE=${nonce}`,
        'buildkit-host': stack.buildkitEndpoint
      }
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('remote')
    expect(run.outputs['builder-endpoint']).toBe(stack.buildkitEndpoint)
    expect(run.outputs.platforms).toBe(bothPlatforms)

    const tags = run.outputs.tags.split('\n')
    expect(tags).toEqual([
      `${image}:latest`,
      expect.stringMatching(new RegExp(`^${image}:dev-\\d{8}-\\d{6}$`)),
      `${image}:commit-${sha7}`
    ])
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    for (const ref of tags) {
      const index = await getManifest(stack, ref)
      expect(isIndex(index.json) && indexPlatforms(index.json).sort()).toEqual([
        'linux/amd64',
        'linux/arm64'
      ])
      // The digest output is the digest of what each tag points at.
      expect(index.digest).toBe(run.outputs.digest)
    }
    // Nothing else was pushed under the image but the tags and the cache.
    expect((await registryTags(stack, image)).sort()).toEqual(
      [...tags.map(ref => ref.slice(image.length + 1)), 'buildcache'].sort()
    )
    await getManifest(stack, `${image}:buildcache`)

    // The RUN steps ran in this build (the nonce is new), arm64's under QEMU.
    const latest = `${image}:latest`
    expect(await readFileFromImage(stack, latest, 'linux/arm64', '/arch')).toBe('aarch64 arm64\n')
    expect(await readFileFromImage(stack, latest, 'linux/amd64', '/arch')).toBe('x86_64 amd64\n')
    expect(await readFileFromImage(stack, latest, 'linux/arm64', '/nonce')).toBe(`${nonce}\n`)

    await expectCleanedUp(stack, config, run)
  })

  it('reuses the registry cache on another BuildKit host: every step is cached', async () => {
    // The second build runs on endpoint 2, a different dockerd (its own
    // BuildKit and build cache) that has never seen this nonce: a step it
    // takes from a cache can only take it from the registry cache the first
    // build exported. (Pruning endpoint 1's cache would also do, but would wipe the
    // cache other suites on the shared daemon rely on.)
    const image = `${stack.registry}/e2e/${uniqueName('build-cache')}`
    const inputs = {
      context: 'examples/steps',
      platforms: bothPlatforms,
      'build-args': `NONCE=${uniqueName('nonce')}`
    }
    const first = await runBuild(stack, config, {
      event: pushToMain(),
      image,
      inputs: {...inputs, 'buildkit-host': stack.buildkitEndpoint}
    })
    expect(first.code).toBe(0)
    const firstSteps = cachedSteps(first.log)
    // RUN, RUN, COPY for each of the two platforms: all ran, none cached.
    expect(firstSteps.steps).toHaveLength(6)
    expect(firstSteps.cached).toEqual([])
    expect(ranSteps(first.log).sort()).toEqual([
      'running: arch',
      'running: arch',
      'running: nonce',
      'running: nonce'
    ])
    expect(first.summary).toMatch(/\b0 of 6 steps cached\b/)

    const second = await runBuild(stack, config, {
      event: tagPush('v1.4.0'),
      image,
      inputs: {...inputs, 'buildkit-host': stack.buildkitEndpoint2}
    })
    // No warning at all: no fallback, no missed cache import.
    expect(annotations(second.log, 'warning')).toEqual([])
    expect(second.code).toBe(0)
    expect(second.outputs.builder).toBe('remote')
    expect(second.outputs['builder-endpoint']).toBe(stack.buildkitEndpoint2)
    expect(second.log).toContain(`importing cache manifest from ${image}:buildcache`)
    const secondSteps = cachedSteps(second.log)
    expect(secondSteps.steps).toHaveLength(6)
    expect(secondSteps.cached).toEqual(secondSteps.steps)
    expect(ranSteps(second.log)).toEqual([])
    expect(second.summary).toMatch(/\b6 of 6 steps cached\b/)
    // The release tags point at what the second build pushed.
    const v140 = await getManifest(stack, `${image}:v1.4.0`)
    expect(v140.digest).toBe(second.outputs.digest)
    expect(await readFileFromImage(stack, `${image}:v1.4.0`, 'linux/arm64', '/arch')).toBe(
      'aarch64 arm64\n'
    )
    await expectCleanedUp(stack, config, second)
  })

  it.each([
    {
      example: 'broken-syntax',
      line: 6,
      message: /unknown instruction: COPPY/i
    },
    {
      example: 'failing-run',
      line: 7,
      message: /exit code: 3/
    }
  ])(
    'fails a $example Dockerfile at its line, without retrying or pushing',
    async ({example, line, message}) => {
      const image = `${stack.registry}/e2e/${uniqueName(`build-${example}`)}`
      const run = await runBuild(stack, config, {
        event: pushToMain(),
        image,
        inputs: {
          context: `examples/${example}`,
          platforms: 'linux/amd64',
          'build-args': `NONCE=${uniqueName('nonce')}`,
          'buildkit-host': stack.buildkitEndpoint
        }
      })
      expect(run.code).toBe(1)
      const errors = errorCommands(run.log)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(
        new RegExp(`^::error [^:]*file=examples/${example}/Dockerfile,line=${line}\\b`)
      )
      expect(annotations(run.log, 'error')[0]).toMatch(message)
      // A Dockerfile error is not a builder failure: one build, on the remote host, no retry.
      expect(annotations(run.log, 'warning')).toEqual([])
      expect(run.log.match(/^::group::Build on .*$/gm)).toEqual([
        `::group::Build on ${stack.buildkitEndpoint}`
      ])
      expect(run.summary).toContain(`examples/${example}/Dockerfile:${line}`)
      expect(run.outputs.builder).toBe('remote')
      expect(run.outputs['builder-endpoint']).toBe(stack.buildkitEndpoint)
      // The summary says who built it: the remote host, no fallback.
      expect(run.summary).toContain(stack.buildkitEndpoint)
      expect(run.summary).not.toMatch(/fallback/i)
      expect(await registryTags(stack, image)).toEqual([])
      await expectCleanedUp(stack, config, run)
    }
  )

  it('post removes the builder, the temp folders and the login that main left', async () => {
    const image = `${stack.authRegistry}/e2e/${uniqueName('build-post')}`
    const env = actionEnv(stack, config)
    // Main alone first, to see what it leaves for post.
    const run = await runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        context: 'examples/hello',
        platforms: 'linux/amd64',
        'buildkit-host': stack.buildkitEndpoint,
        username: stack.authRegistryUser,
        password: stack.authRegistryPassword
      },
      env
    })
    expect(run.code).toBe(0)
    const state = cleanupState(run)
    expect(state.builders).toEqual([expect.stringMatching(/^k8s-build-remote-/)])
    expect(state.logins).toEqual([stack.authRegistry])
    expect(await actionBuilders(stack, config)).toContain(state.builders[0])
    expect(tempLeftovers(run)).not.toEqual([])
    expect(state.dirs.every(dir => existsSync(dir))).toBe(true)
    expect(loggedInRegistries(config)).toEqual([stack.authRegistry])

    // Then post, given the state main saved, as the runner hands it over.
    const post = await runPost(env, run.state)
    expect(post.code).toBe(0)
    expect(post.log).toContain(`docker buildx rm --force ${state.builders[0]}: done`)
    expect(post.log).toContain(`docker logout ${stack.authRegistry}: done`)
    await expectCleanedUp(stack, config, {...run, postStep: post})
    expect(visibleLog(fullLog({...run, postStep: post}))).not.toContain(stack.authRegistryPassword)
  })
})

/** dist/post/index.js under Node 24 with STATE_<name> for each saved state, as a runner runs post. */
function runPost(env: Record<string, string>, state: Record<string, string>): Promise<StepResult> {
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  return new Promise((resolve, reject) => {
    const child = spawn(node24(), [join(repoRoot, 'dist', 'post', 'index.js')], {
      cwd: repoRoot,
      env: {HOME: process.env.HOME, GITHUB_ACTIONS: 'true', ...env, ...stateEnv}
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += String(d)))
    child.stderr.on('data', d => (stderr += String(d)))
    child.on('error', reject)
    child.on('close', code => resolve({code: code ?? -1, stdout, stderr, log: stdout + stderr}))
  })
}
