// The fallback of DESIGN.md through dist/index.js on the sandbox stack: the
// remote BuildKit host refuses, swallows packets, or dies mid-build, and the
// runner's buildx builds and pushes instead, saying why; with `fallback:
// false` the step fails and pushes nothing.
import {afterAll, afterEach, beforeAll, beforeEach, expect, it} from '@jest/globals'
import {node24, type ActionRun} from '../../scripts/lib/action-runner.mjs'
import {
  annotations,
  errorCommands,
  expectCleanedUp,
  pushToMain,
  refusingEndpoint,
  registryTags,
  runBuild
} from './build-support.js'
import {startEndpoint, stopEndpoint} from './support/endpoint.js'
import {getManifest, indexPlatforms, isIndex, readFileFromImage} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

describeStack('fallback to buildx on the runner', (stack: Stack) => {
  let config: DockerConfig

  beforeAll(() => {
    // Resolve Node 24 once, outside the timed test below.
    node24()
  })
  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterEach(async () => {
    await config?.remove()
  })
  afterAll(async () => {
    // Whatever a test did, endpoint 2 is up again for the next suite.
    await startEndpoint(stack, stack.buildkitEndpoint2)
  })

  it('builds and pushes on the runner when the remote host refuses connections', async () => {
    const host = await refusingEndpoint()
    const image = `${stack.registry}/e2e/${uniqueName('fallback-down')}`
    const run = await runBuild(stack, config, {
      event: pushToMain(),
      image,
      inputs: {
        context: 'examples/steps',
        platforms: 'linux/amd64,linux/arm64',
        'build-args': `NONCE=${uniqueName('nonce')}`,
        'buildkit-host': host
      }
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('fallback')
    const warnings = annotations(run.log, 'warning')
    expect(warnings).toContainEqual(
      `BuildKit host ${host} is unreachable: connection refused; building with buildx on the runner instead`
    )
    const tags = run.outputs.tags.split('\n')
    expect(tags).toHaveLength(3)
    for (const ref of tags) {
      const index = await getManifest(stack, ref)
      expect(index.digest).toBe(run.outputs.digest)
      expect(isIndex(index.json) && indexPlatforms(index.json).sort()).toEqual([
        'linux/amd64',
        'linux/arm64'
      ])
    }
    expect(await readFileFromImage(stack, tags[0], 'linux/arm64', '/arch')).toBe('aarch64 arm64\n')
    expect(run.summary).toMatch(/fallback/i)
    await expectCleanedUp(stack, config, run)
  })

  it('gives up on a host that swallows packets after connect-timeout, and falls back', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('fallback-blackhole')}`
    let started = 0
    let warned = 0
    const run = await runBuild(stack, config, {
      event: pushToMain(),
      image,
      inputs: {
        context: 'examples/hello',
        platforms: 'linux/amd64',
        'buildkit-host': stack.blackholeEndpoint,
        'connect-timeout': '2'
      },
      onOutput: chunk => {
        // From the action's first line (its start, Node's own start-up left
        // out) to the warning that it falls back.
        started ||= Date.now()
        if (!warned && /^::warning::BuildKit host/m.test(chunk)) warned = Date.now()
      }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('fallback')
    expect(annotations(run.log, 'warning')).toContainEqual(
      `BuildKit host ${stack.blackholeEndpoint} is unreachable: no answer within 2 s (connect-timeout); building with buildx on the runner instead`
    )
    expect(warned).toBeGreaterThan(0)
    const waited = warned - started
    // It did wait for the timeout (nothing refused it) ...
    expect(waited).toBeGreaterThanOrEqual(1900)
    // ... and not much longer: connect-timeout plus a margin, a functional bound.
    expect(waited).toBeLessThan(2000 + 1500)
    expect((await registryTags(stack, image)).sort()).toEqual(
      [...run.outputs.tags.split('\n').map(ref => ref.slice(image.length + 1)), 'buildcache'].sort()
    )
    await expectCleanedUp(stack, config, run)
  })

  it('retries on the runner when the remote host dies in the middle of the build', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('fallback-midbuild')}`
    const nonce = uniqueName('nonce')
    // The slow step's own output line: it is running on the remote host now.
    const stepRunning = new RegExp(`^#\\d+ [\\d.]+ slow step started ${nonce}$`, 'm')
    let output = ''
    let stopping: Promise<unknown> | undefined
    let run: ActionRun
    try {
      run = await runBuild(stack, config, {
        event: pushToMain(),
        image,
        inputs: {
          context: 'examples/slow',
          platforms: 'linux/amd64',
          'build-args': `NONCE=${nonce}`,
          'buildkit-host': stack.buildkitEndpoint2
        },
        onOutput: chunk => {
          output += chunk
          if (!stopping && stepRunning.test(output)) {
            stopping = stopEndpoint(stack, stack.buildkitEndpoint2)
          }
        }
      })
      expect(stopping).toBeDefined()
      expect(await stopping).toBe('down')
    } finally {
      await stopping?.catch(() => undefined)
      await startEndpoint(stack, stack.buildkitEndpoint2)
    }
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('fallback')
    const warnings = annotations(run.log, 'warning')
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^Lost the remote BuildKit host during the build \(.+\); retrying once with buildx on the runner$/
      )
    )
    // Two builds: cut off on the remote host, then whole on the runner.
    expect(run.log.match(/^::group::Build on .*$/gm)).toEqual([
      `::group::Build on ${stack.buildkitEndpoint2}`,
      `::group::Build on the runner (${run.outputs['builder-endpoint']})`
    ])
    expect(run.log.match(new RegExp(stepRunning.source, 'gm'))).toHaveLength(2)
    const latest = `${image}:latest`
    expect((await getManifest(stack, latest)).digest).toBe(run.outputs.digest)
    expect(await readFileFromImage(stack, latest, 'linux/amd64', '/slow')).toBe(`${nonce}\n`)
    expect(run.summary).toMatch(/fallback/i)
    await expectCleanedUp(stack, config, run)
  })

  it('fails the step and pushes nothing with fallback: false and the host down', async () => {
    const host = await refusingEndpoint()
    const image = `${stack.registry}/e2e/${uniqueName('fallback-off')}`
    const run = await runBuild(stack, config, {
      event: pushToMain(),
      image,
      inputs: {
        context: 'examples/hello',
        platforms: 'linux/amd64',
        'buildkit-host': host,
        fallback: 'false'
      }
    })
    expect(run.code).toBe(1)
    const errors = annotations(run.log, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`BuildKit host ${host} is unreachable: connection refused`)
    expect(errors[0]).toContain('fallback: false')
    expect(errorCommands(run.log)[0]).toMatch(/^::error::/)
    expect(run.log).not.toMatch(/^::group::Build on/m)
    expect(run.outputs.builder).toBeUndefined()
    expect(await registryTags(stack, image)).toEqual([])
    await expectCleanedUp(stack, config, run)
  })
})
