// Reporting on the real stack: the job summary and the ntfy message of a
// successful multi-arch build and of a failing one, read back from the
// summary file and from the sandbox's ntfy server; sizes checked against the
// registry's own manifests; no secret anywhere; an ntfy server that is down
// costs a warning, not the build.
import {afterAll, beforeAll, expect, it} from '@jest/globals'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {runAction, type ActionRun} from '../../scripts/lib/action-runner.mjs'
import {actionEnv, annotations, baseInputs, pushToMain, visibleLog} from './build-support.js'
import {ntfyMessages, type NtfyMessage} from './support/ntfy.js'
import {getPlatformManifest} from './support/registry.js'
import {isolatedDockerConfig, runOk, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, repoRoot} from './support/stack.js'
import {tcpConnect} from './support/http.js'

const runUrl = 'https://github.com/wiredquill/k8s-build-action/actions/runs/4242'
const platforms = ['linux/amd64', 'linux/arm64']

/** Waits (bounded) until nothing accepts connections at url's host:port. */
async function waitUntilRefused(url: string): Promise<void> {
  const endpoint = `tcp://${new URL(url).host}`
  for (let i = 0; i < 50; i++) {
    if ((await tcpConnect(endpoint, 500)) === 'refused') return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${url} still accepts connections`)
}

describeStack('the job summary and ntfy', stack => {
  let config: DockerConfig
  const topic = uniqueName('report')

  beforeAll(async () => {
    config = await isolatedDockerConfig(stack)
  })
  afterAll(async () => {
    await config.remove()
  })

  function ntfyInputs(url = `${stack.ntfyUrl}/${topic}`): Record<string, string> {
    return {'ntfy-url': url, 'ntfy-token': stack.ntfyToken}
  }

  async function latestMessage(): Promise<NtfyMessage> {
    const messages = await ntfyMessages(stack, topic)
    expect(messages.length).toBeGreaterThan(0)
    return messages[messages.length - 1]
  }

  function expectNoSecret(run: ActionRun): void {
    for (const secret of [stack.ntfyToken]) {
      expect(visibleLog(run.log)).not.toContain(secret)
      expect(run.summary).not.toContain(secret)
    }
  }

  it('reports a multi-arch build: summary with sizes from the registry, ntfy message', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('report-ok')}`
    const run = await runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        ...ntfyInputs(),
        context: 'examples/hello',
        platforms: platforms.join(','),
        'buildkit-host': stack.buildkitEndpoint
      },
      env: actionEnv(stack, config),
      post: true
    })
    expect(run.code).toBe(0)
    const digest = run.outputs.digest
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)

    // The summary: headline, builder, platforms, every pushed ref, digest, cache, phases.
    expect(run.summary).toMatch(/## ✅ Built and pushed 3 tags/)
    expect(run.summary).toContain(stack.buildkitEndpoint)
    for (const p of platforms) expect(run.summary).toContain(p)
    for (const ref of run.outputs.tags.split('\n')) expect(run.summary).toContain(ref)
    expect(run.summary).toContain(digest)
    expect(run.summary).toMatch(/\| Cache \| \d+ of \d+ steps cached/)
    expect(run.summary).toMatch(/\| Time \| .*builder .*build .*push /)

    // Sizes: the compressed layer bytes the registry itself lists, per platform.
    for (const p of platforms) {
      const manifest = await getPlatformManifest(stack, `${image}@${digest}`, p)
      const bytes = manifest.json.layers.reduce((sum, l) => sum + l.size, 0)
      expect(bytes).toBeGreaterThan(0)
      expect(run.summary).toMatch(new RegExp(`${p}.*title="${bytes} bytes"`))
    }

    // ntfy: title, tags, priority, click, actions, markdown body.
    const message = await latestMessage()
    expect(message.title).toBe('wiredquill/k8s-build-action main: built and pushed')
    expect(message.tags).toEqual(['white_check_mark'])
    expect(message.priority).toBe(3)
    expect(message.click).toBe(runUrl)
    expect(JSON.stringify(message.actions)).toContain(runUrl)
    expect(message.message).toContain(`${image}:latest`)
    expect(message.message).toContain(digest)
    expect(message.message).toContain(stack.buildkitEndpoint)
    expectNoSecret(run)
  })

  it('reports a failing build: what failed, where, the log tail, and a high-priority message', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('report-fail')}`
    const run = await runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        ...ntfyInputs(),
        context: 'examples/failing-run',
        'buildkit-host': stack.buildkitEndpoint
      },
      env: actionEnv(stack, config),
      post: true
    })
    expect(run.code).toBe(1)

    expect(run.summary).toMatch(/## ❌ Build failed: Dockerfile/)
    expect(run.summary).toContain('`examples/failing-run/Dockerfile:7`')
    expect(run.summary).toMatch(/did not complete successfully: exit code: 3/)
    expect(run.summary).toMatch(/<details><summary>[^<]*log[^<]*<\/summary>[\s\S]*about to fail/i)

    const message = await latestMessage()
    expect(message.title).toBe('wiredquill/k8s-build-action main: build failed (Dockerfile)')
    expect(message.tags).toEqual(['x', 'dockerfile'])
    expect(message.priority).toBe(4)
    expect(message.click).toBe(runUrl)
    expect(message.message).toMatch(/exit code: 3/)
    expectNoSecret(run)
  })

  it('still succeeds, with a warning, when the ntfy server is stopped', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('report-notify-down')}`
    process.kill(Number(readFileSync(join(stack.dir, 'run', 'ntfy.pid'), 'utf8')), 'SIGTERM')
    try {
      await waitUntilRefused(stack.ntfyUrl)
      const run = await runAction({
        event: pushToMain(),
        inputs: {...baseInputs(image), ...ntfyInputs(), context: 'examples/hello'},
        env: actionEnv(stack, config),
        post: true
      })
      expect(run.code).toBe(0)
      const warnings = annotations(run.log, 'warning').filter(w => /ntfy notification/.test(w))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(/not delivered/)
      expect(warnings[0]).not.toContain(stack.ntfyToken)
      expect(run.summary).toMatch(/## ✅ Built and pushed/)
    } finally {
      // `sandbox:up` notices the missing server and starts it again (same users and token).
      await runOk(stack, 'bash', [join(repoRoot, 'scripts', 'sandbox', 'up')])
    }
  })
})
