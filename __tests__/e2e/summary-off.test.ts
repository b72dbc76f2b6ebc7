// `summary: false` through dist/index.js on the sandbox stack: a successful
// build and push writes nothing to GITHUB_STEP_SUMMARY, and still sets every
// output a later step may read.
import {afterEach, beforeEach, expect, it} from '@jest/globals'
import {runAction} from '../../scripts/lib/action-runner.mjs'
import {
  actionEnv,
  annotations,
  baseInputs,
  expectCleanedUp,
  pushToMain,
  sha7
} from './build-support.js'
import {getManifest} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

describeStack('summary: false through dist/index.js', (stack: Stack) => {
  let config: DockerConfig

  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterEach(async () => {
    await config?.remove()
  })

  it('builds and pushes, sets the outputs, and writes no job summary', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('summary-off')}`
    const run = await runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        context: 'examples/hello',
        platforms: 'linux/amd64',
        'buildkit-host': stack.buildkitEndpoint,
        summary: 'false'
      },
      env: actionEnv(stack, config),
      post: true
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.summary).toBe('')
    expect(run.log).not.toContain('Job summary written')

    // The outputs are all there, and say what was pushed.
    const tags = run.outputs.tags.split('\n')
    expect(tags).toEqual([
      `${image}:latest`,
      expect.stringMatching(new RegExp(`^${image}:dev-\\d{8}-\\d{6}$`)),
      `${image}:commit-${sha7}`
    ])
    expect(run.outputs.version).toMatch(/^dev-\d{8}-\d{6}$/)
    expect(run.outputs.labels).toContain('org.opencontainers.image.revision=')
    expect(JSON.parse(run.outputs.json)).toMatchObject({tags})
    expect(run.outputs.builder).toBe('remote')
    expect(run.outputs['builder-endpoint']).toBe(stack.buildkitEndpoint)
    expect(run.outputs.platforms).toBe('linux/amd64')
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.outputs.imageid).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(JSON.parse(run.outputs.metadata)).toMatchObject({
      'containerimage.digest': run.outputs.digest
    })
    for (const ref of tags) expect((await getManifest(stack, ref)).digest).toBe(run.outputs.digest)
    await expectCleanedUp(stack, config, run)
  })
})
