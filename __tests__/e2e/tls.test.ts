// TLS to the remote BuildKit host through dist/index.js on the sandbox stack:
// the mutual-TLS endpoint (BUILDKIT_TLS_ENDPOINT) with the CA, client
// certificate and key given as PEM text or as file paths; the key never shows
// and its temp files are gone after post; and a server the CA does not vouch
// for makes the action fall back (or, with fallback: false, fail).
import {afterEach, beforeAll, beforeEach, expect, it} from '@jest/globals'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {node24, repoRoot, runAction, type ActionRun} from '../../scripts/lib/action-runner.mjs'
import {
  actionEnv,
  annotations,
  baseInputs,
  cleanupState,
  expectCleanedUp,
  fullLog,
  pushToMain,
  registryTags,
  visibleLog
} from './build-support.js'
import {getManifest} from './support/registry.js'
import {isolatedDockerConfig, uniqueName, type DockerConfig} from './support/run.js'
import {describeStack, type Stack} from './support/stack.js'

/** What a TLS temp folder of the action held while main ran. */
interface TlsFolder {
  dir: string
  mode: number
  files: {name: string; mode: number; content: string}[]
}

/** Folders named k8s-build-tls-* anywhere under `root` (a few levels deep). */
function findTlsFolders(root: string, depth = 3): string[] {
  const found: string[] = []
  for (const entry of readdirSync(root, {withFileTypes: true})) {
    if (!entry.isDirectory()) continue
    const path = join(root, entry.name)
    if (entry.name.startsWith('k8s-build-tls-')) found.push(path)
    else if (depth > 1) found.push(...findTlsFolders(path, depth - 1))
  }
  return found
}

function snapshot(dir: string): TlsFolder {
  return {
    dir,
    mode: statSync(dir).mode & 0o777,
    files: readdirSync(dir).map(name => ({
      name,
      mode: statSync(join(dir, name)).mode & 0o777,
      content: readFileSync(join(dir, name), 'utf8')
    }))
  }
}

/** Every file under `dir` whose content includes `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if (readFileSync(path, 'utf8').includes(needle)) hits.push(path)
  }
  return hits
}

/** The base64 lines of a PEM block (what masking must hide, line by line). */
function pemBody(pem: string): string[] {
  return pem
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('-----'))
}

describeStack('TLS to the remote BuildKit host through dist/index.js', (stack: Stack) => {
  let config: DockerConfig
  let tempRoot: string

  beforeAll(() => {
    // Resolve Node 24 once, outside the timed tests below.
    node24()
  })
  beforeEach(async () => {
    config = await isolatedDockerConfig(stack)
    tempRoot = mkdtempSync(join(tmpdir(), 'k8sba-tls-e2e-'))
  })
  afterEach(async () => {
    await config?.remove()
    if (tempRoot) rmSync(tempRoot, {recursive: true, force: true})
  })

  /** A single-platform build of examples/hello on `host`, main and post. */
  function build(
    image: string,
    inputs: Record<string, string>,
    onOutput?: (chunk: string) => void
  ): Promise<ActionRun> {
    return runAction({
      event: pushToMain(),
      inputs: {
        ...baseInputs(image),
        context: 'examples/hello',
        platforms: 'linux/amd64',
        'buildkit-host': stack.buildkitTlsEndpoint,
        ...inputs
      },
      env: actionEnv(stack, config),
      post: true,
      tempRoot,
      onOutput
    })
  }

  /** Exit 0 on the TLS endpoint, every tag pushed, the builder gone after post. */
  async function expectBuiltOverTls(run: ActionRun, image: string): Promise<void> {
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('remote')
    expect(run.outputs['builder-endpoint']).toBe(stack.buildkitTlsEndpoint)
    expect(run.log).toContain(`::group::Build on ${stack.buildkitTlsEndpoint}`)
    // Only the first build of a new image's miss of its registry cache.
    for (const warning of annotations(run.log, 'warning')) {
      expect(warning).toMatch(/^Cache import from .*:buildcache missed: .*not found$/)
    }
    const tags = run.outputs.tags.split('\n')
    expect(tags).toHaveLength(3)
    for (const ref of tags) expect((await getManifest(stack, ref)).digest).toBe(run.outputs.digest)
    expect((await registryTags(stack, image)).sort()).toEqual(
      [...tags.map(ref => ref.slice(image.length + 1)), 'buildcache'].sort()
    )
    await expectCleanedUp(stack, config, run)
  }

  it('builds over TLS with PEM text inputs; the key never shows and its files are gone after post', async () => {
    const pem = {
      ca: readFileSync(stack.buildkitTlsCa, 'utf8'),
      cert: readFileSync(stack.buildkitTlsCert, 'utf8'),
      key: readFileSync(stack.buildkitTlsKey, 'utf8')
    }
    const image = `${stack.registry}/e2e/${uniqueName('tls-pem')}`
    // What the action's TLS folder holds while the build runs.
    let during: TlsFolder[] | undefined
    const run = await build(
      image,
      {'buildkit-tls-ca': pem.ca, 'buildkit-tls-cert': pem.cert, 'buildkit-tls-key': pem.key},
      chunk => {
        if (!during && /^::group::Build on /m.test(chunk)) {
          during = findTlsFolders(tempRoot).map(snapshot)
        }
      }
    )
    await expectBuiltOverTls(run, image)

    // While main ran: one private folder in the run's temp dir, the three
    // PEM blocks in it as 0600 files.
    expect(during).toHaveLength(1)
    const folder = (during ?? [])[0]
    expect(folder.dir.startsWith(run.dir)).toBe(true)
    expect(folder.mode).toBe(0o700)
    expect(folder.files.map(f => f.name).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem'])
    for (const file of folder.files) expect(file.mode).toBe(0o600)
    expect(folder.files.find(f => f.name === 'key.pem')?.content).toBe(pem.key)
    // Post was told to remove it, and did; no copy of the key is left under
    // the run's dir or in the docker config (buildx keeps only the paths).
    expect(cleanupState(run).dirs).toContain(folder.dir)
    expect(findTlsFolders(tempRoot)).toEqual([])
    for (const line of pemBody(pem.key)) {
      expect(filesContaining(run.dir, line)).toEqual([])
      expect(filesContaining(config.dir, line)).toEqual([])
    }

    // The key shows nowhere a person looks: the log (main and post, as the
    // runner shows it), the summary, the outputs.
    const seen = [visibleLog(fullLog(run)), run.summary, JSON.stringify(run.outputs)]
    for (const text of seen) {
      expect(text).not.toContain(pem.key.trim())
      for (const line of pemBody(pem.key)) expect(text).not.toContain(line)
    }
    // It was masked (so the runner hides it if anything prints it).
    expect(run.log).toContain(`::add-mask::${pemBody(pem.key)[0]}`)
  })

  it.each([
    {paths: 'absolute', path: (file: string) => file},
    // Relative to the workspace, where the action runs (buildx wants absolute ones).
    {paths: 'relative', path: (file: string) => relative(repoRoot, file)}
  ])('builds over TLS with $paths file paths as inputs', async ({path}) => {
    const image = `${stack.registry}/e2e/${uniqueName('tls-paths')}`
    const run = await build(image, {
      'buildkit-tls-ca': path(stack.buildkitTlsCa),
      'buildkit-tls-cert': path(stack.buildkitTlsCert),
      'buildkit-tls-key': path(stack.buildkitTlsKey)
    })
    await expectBuiltOverTls(run, image)
    // Files given as paths are used where they are: no TLS folder of ours.
    expect(cleanupState(run).dirs.filter(d => /k8s-build-tls-/.test(d))).toEqual([])
    // A key given as a path is not a secret value, but its content never shows.
    for (const line of pemBody(readFileSync(stack.buildkitTlsKey, 'utf8'))) {
      expect(fullLog(run)).not.toContain(line)
    }
  })

  /** Inputs that trust a CA which did not sign the endpoint's certificate. */
  function wrongCaInputs(): Record<string, string> {
    return {
      'buildkit-tls-ca': stack.buildkitTlsWrongCa,
      'buildkit-tls-cert': stack.buildkitTlsCert,
      'buildkit-tls-key': stack.buildkitTlsKey,
      'connect-timeout': '2'
    }
  }

  it('falls back to the runner, naming the host, when the server is not signed by the given CA', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('tls-wrong-ca')}`
    let started = 0
    let warned = 0
    const run = await build(image, wrongCaInputs(), chunk => {
      started ||= Date.now()
      if (!warned && /^::warning::BuildKit host /m.test(chunk)) warned = Date.now()
    })
    expect(annotations(run.log, 'error')).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.builder).toBe('fallback')
    // buildx only ever says "context deadline exceeded" for a failed TLS
    // handshake (after its own 20 s); the action's probe does the handshake
    // itself and says why, well within connect-timeout.
    expect(annotations(run.log, 'warning')).toContainEqual(
      `BuildKit host ${stack.buildkitTlsEndpoint} cannot be used: TLS handshake failed (self-signed certificate in certificate chain); check buildkit-tls-ca, buildkit-tls-cert and buildkit-tls-key; building with buildx on the runner instead`
    )
    expect(warned).toBeGreaterThan(0)
    expect(warned - started).toBeLessThan(2000)
    expect(run.log).toMatch(/^::group::Build on the runner \(/m)
    const tags = run.outputs.tags.split('\n')
    for (const ref of tags) expect((await getManifest(stack, ref)).digest).toBe(run.outputs.digest)
    expect(run.summary).toMatch(/fallback/i)
    expect(run.summary).toContain(stack.buildkitTlsEndpoint)
    // The handshake failed before any remote builder was made.
    expect(cleanupState(run).builders.filter(b => b.startsWith('k8s-build-remote-'))).toEqual([])
    await expectCleanedUp(stack, config, run)
  })

  it('fails the step and pushes nothing with the wrong CA and fallback: false', async () => {
    const image = `${stack.registry}/e2e/${uniqueName('tls-wrong-ca-off')}`
    const run = await build(image, {...wrongCaInputs(), fallback: 'false'})
    expect(run.code).toBe(1)
    const errors = annotations(run.log, 'error')
    expect(errors).toEqual([
      `BuildKit host ${stack.buildkitTlsEndpoint} cannot be used: TLS handshake failed (self-signed certificate in certificate chain); check buildkit-tls-ca, buildkit-tls-cert and buildkit-tls-key (fallback: false, so the step fails)`
    ])
    expect(run.log).not.toMatch(/^::group::Build on/m)
    expect(run.outputs.builder).toBeUndefined()
    expect(await registryTags(stack, image)).toEqual([])
    await expectCleanedUp(stack, config, run)
  })
})
