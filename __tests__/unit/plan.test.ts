import {describe, expect, test} from '@jest/globals'
import type {Config} from '../../src/config.js'
import type {Metadata} from '../../src/metadata/types.js'
import {planBuild, type PlanInput} from '../../src/build/plan.js'
import {decidePush} from '../../src/build/push.js'
import {gitContextBuilders} from '../fixtures/git-context.js'

const IMAGE = 'ghcr.io/acme/app'
const CACHE_FROM = `type=registry,ref=${IMAGE}:buildcache`
const CACHE_TO = `type=registry,ref=${IMAGE}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`

function baseConfig(overrides: Partial<Config> = {}): Config {
  return {
    images: [IMAGE],
    tagRules: [],
    // The plan never reads the flavor; its shape belongs to the metadata stage.
    flavor: {} as Config['flavor'],
    labels: [],
    annotations: [],
    context: '.',
    file: '',
    target: '',
    buildArgs: [],
    secrets: [],
    platforms: [],
    push: 'auto',
    buildkitHosts: [],
    tls: {ca: '', cert: '', key: ''},
    connectTimeoutMs: 5000,
    fallback: true,
    registry: 'ghcr.io',
    username: 'acme-bot',
    password: 'not-in-argv',
    cacheFrom: [],
    cacheTo: [],
    provenance: '',
    sbom: '',
    environment: '',
    ntfy: {url: '', token: '', on: 'never', priority: ''},
    summary: true,
    dryRun: false,
    ...overrides
  }
}

function meta(refs: string[], labels: string[] = [], annotations: string[] = []): Metadata {
  return {version: 'latest', tags: [], refs, labels, annotations, warnings: []}
}

function plan(config: Config, m: Metadata, push: boolean, extra: Partial<PlanInput> = {}) {
  return planBuild({
    config,
    meta: m,
    push,
    builder: 'k8s-build',
    metadataFile: '/tmp/run/metadata.json',
    iidFile: '/tmp/run/iid',
    ...extra
  })
}

const HEAD = ['buildx', 'build', '--builder', 'k8s-build', '--progress=plain']
const FILES = ['--metadata-file', '/tmp/run/metadata.json', '--iidfile', '/tmp/run/iid']
const LATEST = [`${IMAGE}:latest`]

describe('planBuild argv', () => {
  test.each<[string, Partial<Config>, Metadata, boolean, string[]]>([
    [
      'defaults, pushing: tag, registry cache both ways, --push, context last',
      {},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'defaults, not pushing: cache-from only, image output without push',
      {},
      meta(LATEST),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        CACHE_FROM,
        ...FILES,
        '--output',
        'type=image,push=false',
        '.'
      ]
    ],
    [
      'multi-platform: one comma-joined --platform',
      {platforms: ['linux/amd64', 'linux/arm64']},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--platform',
        'linux/amd64,linux/arm64',
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'multiple images x tags: one --tag per ref, cache next to the first image',
      {images: [IMAGE, 'docker.io/acme/app']},
      meta([
        `${IMAGE}:v1.2.3`,
        `${IMAGE}:v1.2`,
        'docker.io/acme/app:v1.2.3',
        'docker.io/acme/app:v1.2'
      ]),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:v1.2.3`,
        '--tag',
        `${IMAGE}:v1.2`,
        '--tag',
        'docker.io/acme/app:v1.2.3',
        '--tag',
        'docker.io/acme/app:v1.2',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'labels: one --label per line, values with spaces kept whole',
      {},
      meta(LATEST, ['org.opencontainers.image.title=My App', 'team=platform']),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--label',
        'org.opencontainers.image.title=My App',
        '--label',
        'team=platform',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'annotations when pushing: manifest: and index: levels passed as given',
      {},
      meta(
        LATEST,
        [],
        [
          'manifest:org.opencontainers.image.version=1.2.3',
          'index:org.opencontainers.image.description=An app'
        ]
      ),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--annotation',
        'manifest:org.opencontainers.image.version=1.2.3',
        '--annotation',
        'index:org.opencontainers.image.description=An app',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'annotations when not pushing: still an image output, so kept',
      {},
      meta(LATEST, [], ['manifest:org.opencontainers.image.version=1.2.3']),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--annotation',
        'manifest:org.opencontainers.image.version=1.2.3',
        '--cache-from',
        CACHE_FROM,
        ...FILES,
        '--output',
        'type=image,push=false',
        '.'
      ]
    ],
    [
      'no tags: cache-only output, annotations dropped, labels kept, cache still written when push was allowed',
      {},
      meta([], ['team=platform'], ['manifest:org.opencontainers.image.version=1.2.3']),
      true,
      [
        ...HEAD,
        '--label',
        'team=platform',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--output',
        'type=cacheonly',
        '.'
      ]
    ],
    [
      'no tags, not pushing: cache-only output, cache-from only',
      {},
      meta([]),
      false,
      [...HEAD, '--cache-from', CACHE_FROM, ...FILES, '--output', 'type=cacheonly', '.']
    ],
    [
      'build args: split at nothing, "=" in values, spaces, shell metacharacters stay literal',
      {
        buildArgs: [
          'VERSION=1.2.3',
          'URL=https://x.test/?a=b&c=d',
          'GREETING=hello  world',
          'EVIL=$(rm -rf /); `id` | tee /etc/passwd > /dev/null && echo "pwned" \'x\'',
          'EMPTY='
        ]
      },
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--build-arg',
        'VERSION=1.2.3',
        '--build-arg',
        'URL=https://x.test/?a=b&c=d',
        '--build-arg',
        'GREETING=hello  world',
        '--build-arg',
        'EVIL=$(rm -rf /); `id` | tee /etc/passwd > /dev/null && echo "pwned" \'x\'',
        '--build-arg',
        'EMPTY=',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'a tag and a context with shell syntax stay single literal elements',
      {context: './my app; rm -rf ~'},
      meta([`${IMAGE}:$(rm -rf /)`]),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:$(rm -rf /)`,
        '--cache-from',
        CACHE_FROM,
        ...FILES,
        '--output',
        'type=image,push=false',
        './my app; rm -rf ~'
      ]
    ],
    [
      'secrets: --secret id=<id>,env=<generated name>, no values',
      {secrets: ['NPM_TOKEN=s3cr3t-npm', 'aws.creds=a=b=c']},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--secret',
        'id=NPM_TOKEN,env=K8S_BUILD_SECRET_0',
        '--secret',
        'id=aws.creds,env=K8S_BUILD_SECRET_1',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'cache inputs replace both defaults, one flag per entry',
      {
        cacheFrom: ['type=gha', `type=registry,ref=${IMAGE}:cache-main`],
        cacheTo: ['type=gha,mode=max']
      },
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        'type=gha',
        '--cache-from',
        `type=registry,ref=${IMAGE}:cache-main`,
        '--cache-to',
        'type=gha,mode=max',
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'cache-from input alone: no default cache-to either',
      {cacheFrom: ['type=local,src=/tmp/cache']},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        'type=local,src=/tmp/cache',
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'cache-to input alone, not pushing: used as given, no default cache-from',
      {cacheTo: ['type=local,dest=/tmp/cache']},
      meta(LATEST),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-to',
        'type=local,dest=/tmp/cache',
        ...FILES,
        '--output',
        'type=image,push=false',
        '.'
      ]
    ],
    [
      'registry cache-to inputs, not pushing: registry exports dropped, others kept',
      {
        cacheFrom: ['type=registry,ref=ghcr.io/o/r:cache'],
        cacheTo: [
          'type=registry,ref=ghcr.io/o/r:cache,mode=max',
          'ghcr.io/o/r:cache2',
          'type=local,dest=/tmp/c'
        ]
      },
      meta(LATEST),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        'type=registry,ref=ghcr.io/o/r:cache',
        '--cache-to',
        'type=local,dest=/tmp/c',
        ...FILES,
        '--output',
        'type=image,push=false',
        '.'
      ]
    ],
    [
      'no images and no cache inputs: no cache flags at all',
      {images: []},
      meta([]),
      true,
      [...HEAD, ...FILES, '--output', 'type=cacheonly', '.']
    ],
    [
      'provenance and sbom attached with =',
      {provenance: 'mode=max', sbom: 'false'},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--provenance=mode=max',
        '--sbom=false',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        '.'
      ]
    ],
    [
      'file and target',
      {file: 'docker/Dockerfile.prod', target: 'runtime', context: 'app'},
      meta(LATEST),
      true,
      [
        ...HEAD,
        '--file',
        'docker/Dockerfile.prod',
        '--target',
        'runtime',
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        'app'
      ]
    ],
    [
      'empty context falls back to "."',
      {context: ''},
      meta(LATEST),
      false,
      [
        ...HEAD,
        '--tag',
        `${IMAGE}:latest`,
        '--cache-from',
        CACHE_FROM,
        ...FILES,
        '--output',
        'type=image,push=false',
        '.'
      ]
    ],
    [
      'everything at once, in order',
      {
        platforms: ['linux/amd64', 'linux/arm64'],
        file: 'Dockerfile',
        target: 'final',
        buildArgs: ['A=1'],
        secrets: ['TOKEN=t'],
        provenance: 'false',
        sbom: 'true',
        context: 'src'
      },
      meta(LATEST, ['l=1'], ['manifest:a=1']),
      true,
      [
        ...HEAD,
        '--platform',
        'linux/amd64,linux/arm64',
        '--file',
        'Dockerfile',
        '--target',
        'final',
        '--tag',
        `${IMAGE}:latest`,
        '--label',
        'l=1',
        '--annotation',
        'manifest:a=1',
        '--build-arg',
        'A=1',
        '--secret',
        'id=TOKEN,env=K8S_BUILD_SECRET_0',
        '--provenance=false',
        '--sbom=true',
        '--cache-from',
        CACHE_FROM,
        '--cache-to',
        CACHE_TO,
        ...FILES,
        '--push',
        'src'
      ]
    ]
  ])('%s', (_description, overrides, m, push, expected) => {
    expect(plan(baseConfig(overrides), m, push).argv).toEqual(expected)
  })

  test('no builder, metadata file or iid file: those flags are left out', () => {
    const p = plan(baseConfig(), meta(LATEST), false, {builder: '', metadataFile: '', iidFile: ''})
    expect(p.argv).toEqual([
      'buildx',
      'build',
      '--progress=plain',
      '--tag',
      `${IMAGE}:latest`,
      '--cache-from',
      CACHE_FROM,
      '--output',
      'type=image,push=false',
      '.'
    ])
  })
})

describe('planBuild fields', () => {
  test.each<
    [
      string,
      Partial<Config>,
      Metadata,
      boolean,
      {push: boolean; cacheFrom: string[]; cacheTo: string[]}
    ]
  >([
    [
      'pushing with tags',
      {},
      meta(LATEST),
      true,
      {push: true, cacheFrom: [CACHE_FROM], cacheTo: [CACHE_TO]}
    ],
    ['not pushing', {}, meta(LATEST), false, {push: false, cacheFrom: [CACHE_FROM], cacheTo: []}],
    [
      'push allowed but no tags: nothing pushed',
      {},
      meta([]),
      true,
      {push: false, cacheFrom: [CACHE_FROM], cacheTo: [CACHE_TO]}
    ],
    [
      'cache inputs',
      {cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max']},
      meta(LATEST),
      true,
      {push: true, cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max']}
    ]
  ])('%s', (_description, overrides, m, push, expected) => {
    const p = plan(baseConfig(overrides), m, push)
    expect({push: p.push, cacheFrom: p.cacheFrom, cacheTo: p.cacheTo}).toEqual(expected)
  })

  test('without secrets the env is empty', () => {
    expect(plan(baseConfig(), meta(LATEST), true).env).toEqual({})
  })

  test('the cache inputs in the plan are copies, not the config arrays', () => {
    const config = baseConfig({cacheFrom: ['type=gha']})
    const p = plan(config, meta(LATEST), true)
    p.cacheFrom.push('mutated')
    expect(config.cacheFrom).toEqual(['type=gha'])
  })
})

describe('planBuild secrets', () => {
  const secrets = ['NPM_TOKEN=s3cr3t-npm', 'aws.creds=a=b=c', 'MULTI=$(echo pwned) && "q"']

  test('values go to env under the generated names, split at the first "="', () => {
    const p = plan(baseConfig({secrets}), meta(LATEST), true)
    expect(p.env).toEqual({
      K8S_BUILD_SECRET_0: 's3cr3t-npm',
      K8S_BUILD_SECRET_1: 'a=b=c',
      K8S_BUILD_SECRET_2: '$(echo pwned) && "q"'
    })
  })

  test('no secret value appears in argv, nor as a build arg', () => {
    const p = plan(baseConfig({secrets, buildArgs: ['A=1']}), meta(LATEST), true)
    const joined = p.argv.join('\n')
    for (const value of Object.values(p.env)) expect(joined).not.toContain(value)
    expect(p.argv.filter(a => a.startsWith('NPM_TOKEN') || a.startsWith('aws.creds'))).toEqual([])
    expect(p.argv.filter((_a, i) => p.argv[i - 1] === '--build-arg')).toEqual(['A=1'])
  })

  test.each([
    ['no "="', 'just-a-pasted-token-value'],
    ['empty id', '=hunter2-value'],
    ['id with a comma (would break the --secret CSV)', 'a,b=hunter2-value'],
    ['id with a space', 'my token=hunter2-value']
  ])('malformed line (%s) is rejected naming the secrets input, without echoing it', (_d, line) => {
    const run = () => plan(baseConfig({secrets: ['OK=fine', line]}), meta(LATEST), true)
    expect(run).toThrow(/^Input "secrets": line 2 is not id=VALUE/)
    expect(run).not.toThrow(/hunter2|pasted-token/)
  })
})

describe('planBuild build args', () => {
  test.each(['GITHUB_TOKEN', '=value', ''])('%p without KEY= is rejected naming the input', arg => {
    expect(() => plan(baseConfig({buildArgs: [arg]}), meta(LATEST), true)).toThrow(
      /^Input "build-args": .* is not KEY=VALUE/
    )
  })
})

const PLAN_SHA = '0123456789abcdef0123456789abcdef01234567'
const {gitContext} = gitContextBuilders({
  sha: PLAN_SHA,
  headSha: PLAN_SHA,
  repository: {
    owner: 'acme',
    name: 'app',
    htmlUrl: 'https://github.com/acme/app',
    description: '',
    license: ''
  },
  commitDate: new Date('2024-05-06T07:08:09Z')
})

describe('decidePush', () => {
  const FORK = 'pull request from a fork'
  const YES = {push: true, reason: ''}
  const NO_FALSE = {push: false, reason: 'push: false'}
  const NO_FORK = {push: false, reason: FORK}
  const NO_DRY = {push: false, reason: 'dry run'}

  test.each<[string, boolean, Config['push'], boolean, {push: boolean; reason: string}]>([
    // event, isFork, push, dryRun -> decision
    ['push', false, 'auto', false, YES],
    ['push', false, true, false, YES],
    ['push', false, false, false, NO_FALSE],
    ['release', false, 'auto', false, YES],
    ['release', false, true, false, YES],
    ['release', false, false, false, NO_FALSE],
    ['workflow_dispatch', false, 'auto', false, YES],
    ['workflow_dispatch', false, true, false, YES],
    ['workflow_dispatch', false, false, false, NO_FALSE],
    ['schedule', false, 'auto', false, YES],
    ['schedule', false, true, false, YES],
    ['schedule', false, false, false, NO_FALSE],
    ['merge_group', false, 'auto', false, YES],
    ['merge_group', false, true, false, YES],
    ['merge_group', false, false, false, NO_FALSE],
    ['pull_request', false, 'auto', false, YES],
    ['pull_request', false, true, false, YES],
    ['pull_request', false, false, false, NO_FALSE],
    ['pull_request', true, 'auto', false, NO_FORK],
    ['pull_request', true, true, false, YES],
    ['pull_request', true, false, false, NO_FALSE],
    ['pull_request_target', false, 'auto', false, YES],
    ['pull_request_target', false, true, false, YES],
    ['pull_request_target', false, false, false, NO_FALSE],
    ['pull_request_target', true, 'auto', false, NO_FORK],
    ['pull_request_target', true, true, false, YES],
    ['pull_request_target', true, false, false, NO_FALSE],
    // isFork only matters for pull request events
    ['push', true, 'auto', false, YES],
    ['workflow_dispatch', true, 'auto', false, YES],
    // dry run never pushes, whatever else holds
    ['push', false, 'auto', true, NO_DRY],
    ['push', false, true, true, NO_DRY],
    ['push', false, false, true, NO_DRY],
    ['release', false, true, true, NO_DRY],
    ['pull_request', false, 'auto', true, NO_DRY],
    ['pull_request', true, 'auto', true, NO_DRY],
    ['pull_request', true, true, true, NO_DRY],
    ['pull_request_target', true, 'auto', true, NO_DRY],
    ['pull_request_target', true, false, true, NO_DRY]
  ])('%s, fork=%p, push=%p, dry-run=%p', (eventName, isFork, push, dryRun, expected) => {
    const decision = decidePush(baseConfig({push, dryRun}), gitContext({eventName, isFork}))
    expect(decision).toEqual(expected)
  })
})
