// A multi-node builder through dist/index.js on the sandbox stack: two
// BuildKit hosts (two independent dockerds), one platform each, one
// `buildkit-host` input with a line per host; the pushed image is one
// manifest list with both platforms, and post removes the builder.
import {afterEach, beforeEach, expect, it} from '@jest/globals'
import {runAction} from '../../scripts/lib/action-runner.mjs'
import {
  actionEnv,
  annotations,
  baseInputs,
  cachedSteps,
  cleanupState,
  expectCleanedUp,
  pushToMain,
  ranSteps,
  registryTags
} from './build-support.js'
import {platformsBuiltWith} from './support/history.js'
import {getManifest, indexPlatforms, isIndex, readFileFromImage} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

describeStack('multi-node builder through dist/index.js', (stack: Stack) => {
  let config: DockerConfig

  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterEach(async () => {
    await config?.remove()
  })

  it('builds each platform on its own BuildKit host and pushes one manifest list', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('multinode')}`
    const nonce = uniqueName('nonce')
    const started = new Date(Date.now() - 1000)
    const run = await runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        context: 'examples/steps',
        platforms: 'linux/amd64,linux/arm64',
        'build-args': `NONCE=${nonce}`,
        'buildkit-host': [
          `${stack.buildkitEndpoint} linux/amd64`,
          `${stack.buildkitEndpoint2} linux/arm64`
        ].join('\n')
      },
      env: actionEnv(stack, config),
      post: true
    })
    expect(annotations(run.log, 'error')).toEqual([])
    // A new image has no registry cache yet: the one warning says its import
    // missed (once, though each node tried it).
    expect(annotations(run.log, 'warning')).toEqual([
      `Cache import from ${image}:buildcache missed: failed to configure registry cache importer: ${image}:buildcache: not found`
    ])
    expect(run.code).toBe(0)
    expect(annotations(run.log, 'notice')).toContainEqual(
      expect.stringMatching(/^Several BuildKit hosts export cache to the same ref/)
    )
    expect(run.outputs.builder).toBe('remote')
    expect(run.outputs['builder-endpoint'].split('\n')).toEqual([
      stack.buildkitEndpoint,
      stack.buildkitEndpoint2
    ])
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64')

    // One builder with two nodes, each BuildKit serving its own platform.
    expect(cleanupState(run).builders).toEqual([expect.stringMatching(/^k8s-build-remote-/)])
    expect(run.log).toMatch(
      /^::group::Build on tcp:\/\/127\.0\.0\.1:1234, tcp:\/\/127\.0\.0\.1:1235$/m
    )
    const nodeLines = run.log.match(/^BuildKit \S+ on tcp:\/\/.*$/gm) ?? []
    expect(nodeLines).toHaveLength(2)
    expect(nodeLines[0]).toMatch(new RegExp(`on ${stack.buildkitEndpoint}: linux/amd64\\b`))
    expect(nodeLines[1]).toMatch(new RegExp(`on ${stack.buildkitEndpoint2}: linux/arm64\\b`))

    // Each BuildKit built its own platform, and only that one (its history).
    expect(await platformsBuiltWith(stack, stack.dockerHost, started, 'NONCE', nonce)).toEqual([
      ['linux/amd64']
    ])
    expect(await platformsBuiltWith(stack, stack.dockerHost2, started, 'NONCE', nonce)).toEqual([
      ['linux/arm64']
    ])

    // The log shows every step of both platforms, and they all ran (new nonce).
    const {steps, cached} = cachedSteps(run.log)
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      expect(steps.filter(s => s.startsWith(`[${platform} `)).map(s => s.split('] ')[1])).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^RUN .*running: nonce/),
          expect.stringMatching(/^RUN .*running: arch/),
          expect.stringMatching(/^COPY greeting\.txt/)
        ])
      )
    }
    expect(steps).toHaveLength(6)
    expect(cached).toEqual([])
    expect(ranSteps(run.log).sort()).toEqual([
      'running: arch',
      'running: arch',
      'running: nonce',
      'running: nonce'
    ])

    // Every tag is the same manifest list with both platforms.
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
    expect((await registryTags(stack, image)).sort()).toEqual(
      [...tags.map(ref => ref.slice(image.length + 1)), 'buildcache'].sort()
    )
    const latest = `${image}:latest`
    expect(await readFileFromImage(stack, latest, 'linux/amd64', '/arch')).toBe('x86_64 amd64\n')
    expect(await readFileFromImage(stack, latest, 'linux/arm64', '/arch')).toBe('aarch64 arm64\n')
    expect(await readFileFromImage(stack, latest, 'linux/arm64', '/nonce')).toBe(`${nonce}\n`)

    await expectCleanedUp(stack, config, run)
  })
})
