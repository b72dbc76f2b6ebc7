import {describe, expect, test} from '@jest/globals'
import type {GitContext} from '../../src/context.js'
import type {Metadata} from '../../src/metadata/types.js'
import {redact} from '../../src/report/redact.js'
import {
  formatBytes,
  formatDuration,
  imageName,
  packageUrl,
  summaryMarkdown
} from '../../src/report/summary.js'
import {newReport, type RunReport} from '../../src/report/types.js'
import {ACME_APP, ACME_SHA, acmeTagPush} from '../fixtures/git-context.js'

const DIGEST = 'sha256:' + 'd'.repeat(64)
const IMAGE = 'ghcr.io/acme/app'

const context = (over: Partial<GitContext> = {}): GitContext =>
  acmeTagPush({repository: {...ACME_APP, license: 'MIT'}, ...over})

function metadata(refs = [`${IMAGE}:v1.2.3`, `${IMAGE}:latest`]): Metadata {
  return {
    version: 'v1.2.3',
    tags: refs.map(r => r.split(':').pop() ?? ''),
    refs,
    labels: [
      'org.opencontainers.image.source=https://github.com/Acme/app',
      'org.opencontainers.image.version=v1.2.3'
    ],
    annotations: [],
    warnings: []
  }
}

const remoteBuilder: RunReport['builder'] = {
  kind: 'remote',
  endpoint: 'tcp://buildkit.example:1234',
  fallbackReason: '',
  nodes: [
    {
      name: 'n0',
      endpoint: 'tcp://buildkit.example:1234',
      status: 'running',
      buildkitVersion: 'v0.23.1',
      platforms: ['linux/amd64', 'linux/arm64']
    }
  ]
}

const fallbackBuilder: RunReport['builder'] = {
  kind: 'fallback',
  endpoint: 'k8s-build-local-1a2b3c4d',
  fallbackReason: 'BuildKit host tcp://buildkit.example:1234 is unreachable: connection refused',
  nodes: [
    {
      name: 'k8s-build-local-1a2b3c4d0',
      endpoint: 'unix:///var/run/docker.sock',
      status: 'running',
      buildkitVersion: 'v0.20.0',
      platforms: ['linux/amd64']
    }
  ]
}

/** A successful push from the remote host: the base every case changes. */
function pushed(overrides: Partial<RunReport> = {}): RunReport {
  const meta = metadata()
  return {
    ...newReport(),
    ok: true,
    ctx: context(),
    meta,
    durationMs: 42_300,
    phases: {login: 1200, builder: 400, build: 31_000},
    builder: remoteBuilder,
    platforms: ['linux/amd64', 'linux/arm64'],
    pushed: meta.refs,
    digest: DIGEST,
    cache: {cached: 5, total: 7},
    sizes: [
      {platform: 'linux/amd64', bytes: 1_140_817},
      {platform: 'linux/arm64', bytes: 1_082_454}
    ],
    ...overrides
  }
}

function notPushed(reason: string, overrides: Partial<RunReport> = {}): RunReport {
  return pushed({pushed: [], notPushedReason: reason, sizes: [], ...overrides})
}

function failed(failure: RunReport['failure'], overrides: Partial<RunReport> = {}): RunReport {
  return pushed({
    ok: false,
    failure,
    pushed: [],
    digest: '',
    cache: undefined,
    sizes: [],
    ...overrides
  })
}

const LOG_TAIL = [
  '#8 [linux/amd64 2/3] RUN make',
  '#8 0.104 make: *** No rule to make target.  Stop.',
  '#8 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
  'Dockerfile:6',
  '--------------------',
  '   6 | >>> RUN make',
  '--------------------'
]

describe('summaryMarkdown', () => {
  test.each<[string, RunReport, string[], string[]]>([
    [
      'success on the remote host',
      pushed(),
      [
        '## ✅ Built and pushed 2 tags (42.3 s)',
        'remote BuildKit `tcp://buildkit.example:1234` (BuildKit v0.23.1)',
        '| Platforms | `linux/amd64`, `linux/arm64` |',
        `| Digest | \`${DIGEST}\` |`,
        '| Cache | 5 of 7 steps cached (71%) |',
        '| Time | login 1.2 s · builder 400 ms · build 31.0 s |',
        '| Event | push |',
        '| Ref | `refs/tags/v1.2.3` |',
        `| \`${IMAGE}:v1.2.3\` | [package page](https://github.com/Acme/app/pkgs/container/app) |`,
        `| \`${IMAGE}:latest\` | [package page](https://github.com/Acme/app/pkgs/container/app) |`,
        `Pull by digest: \`${IMAGE}@${DIGEST}\``,
        '<details><summary>Labels</summary>'
      ],
      ['fallback', 'not pushed', '⚠️', 'Build failed']
    ],
    [
      'success on the fallback builder, with the reason',
      pushed({builder: fallbackBuilder, platforms: ['linux/amd64']}),
      [
        '> ⚠️ Built with buildx on the runner instead of the remote BuildKit host: BuildKit host tcp://buildkit.example:1234 is unreachable: connection refused',
        '⚠️ buildx on the runner (builder `k8s-build-local-1a2b3c4d`, BuildKit v0.20.0), **fallback**: BuildKit host tcp://buildkit.example:1234 is unreachable',
        '| Platforms | `linux/amd64` |'
      ],
      ['remote BuildKit `']
    ],
    [
      'success on the runner when no host was given (not a fallback)',
      pushed({builder: {...fallbackBuilder, fallbackReason: ''}}),
      [
        'buildx on the runner (builder `k8s-build-local-1a2b3c4d`, BuildKit v0.20.0): no buildkit-host given'
      ],
      ['fallback', '⚠️']
    ],
    [
      'a multi-node remote builder lists each node',
      pushed({
        builder: {
          kind: 'remote',
          endpoint: 'tcp://a:1234\ntcp://b:1234',
          fallbackReason: '',
          nodes: [
            {
              name: 'x0',
              endpoint: 'tcp://a:1234',
              status: 'running',
              buildkitVersion: 'v0.23.1',
              platforms: []
            },
            {
              name: 'x1',
              endpoint: 'tcp://b:1234',
              status: 'running',
              buildkitVersion: 'v0.22.0',
              platforms: []
            }
          ]
        }
      }),
      ['remote BuildKit `tcp://a:1234` (BuildKit v0.23.1)<br>`tcp://b:1234` (BuildKit v0.22.0)'],
      []
    ],
    [
      'dry run',
      {
        ...newReport(),
        ok: true,
        dryRun: true,
        ctx: context(),
        meta: metadata(),
        notPushedReason: 'dry run',
        durationMs: 120
      },
      [
        '## 🧪 Dry run: nothing built or pushed (120 ms)',
        '### Tags (not pushed: dry run)',
        `- \`${IMAGE}:v1.2.3\``,
        'refs/tags/v1.2.3'
      ],
      ['### Pushed', 'Builder', 'Digest', '### Image size']
    ],
    [
      'pull request from a fork: built, not pushed',
      notPushed('pull request from a fork', {
        ctx: context({
          eventName: 'pull_request',
          ref: 'refs/pull/42/merge',
          prNumber: 42,
          isFork: true
        }),
        meta: metadata([`${IMAGE}:pr-42`]),
        digest: ''
      }),
      [
        '## ✅ Built, not pushed (pull request from a fork) (42.3 s)',
        '| Pull request | #42 (fork) |',
        '### Tags (not pushed: pull request from a fork)',
        `- \`${IMAGE}:pr-42\``
      ],
      ['### Pushed', 'package page']
    ],
    [
      'push: false',
      notPushed('push: false', {digest: ''}),
      ['## ✅ Built, not pushed (push: false)', '### Tags (not pushed: push: false)'],
      ['### Pushed']
    ]
  ])('%s', (_name, report, present, absent) => {
    const md = summaryMarkdown(report)
    for (const s of present) expect(md).toContain(s)
    for (const s of absent) expect(md).not.toContain(s)
  })

  test.each<[string, RunReport, string[], string[]]>([
    [
      'bad input: no builder, no build',
      {
        ...newReport(),
        durationMs: 10,
        failure: {
          kind: 'input',
          message: 'Input "platforms": "linux/amd65" is not a known platform'
        }
      },
      [
        '## ❌ Build failed: invalid input (10 ms)',
        '**What failed:** invalid input. Fix the input the message names',
        '```text\nInput "platforms": "linux/amd65" is not a known platform\n```'
      ],
      ['Builder', '### Tags', '<details><summary>Last']
    ],
    [
      'registry login',
      failed(
        {
          kind: 'login',
          message:
            'Login to registry ghcr.io as "bot" failed: the registry rejected the credentials.'
        },
        {builder: undefined, platforms: []}
      ),
      [
        '## ❌ Build failed: registry login',
        'Check the `username` and `password` inputs',
        '### Tags (not pushed: the build failed)'
      ],
      ['### Pushed']
    ],
    [
      'builder without fallback',
      failed(
        {
          kind: 'builder',
          message:
            'BuildKit host tcp://buildkit.example:1234 is unreachable (fallback: false, so the step fails)'
        },
        {builder: undefined}
      ),
      ['## ❌ Build failed: BuildKit builder', 'fallback: false, so the step fails'],
      []
    ],
    [
      'Dockerfile error with its location and the log tail',
      failed({
        kind: 'dockerfile',
        message: 'process "/bin/sh -c make" did not complete successfully: exit code: 2',
        file: 'docker/Dockerfile',
        line: 6,
        logTail: LOG_TAIL
      }),
      [
        '## ❌ Build failed: Dockerfile',
        `**What failed:** Dockerfile at [\`docker/Dockerfile:6\`](https://github.com/Acme/app/blob/${ACME_SHA}/docker/Dockerfile#L6).`,
        '<details><summary>Last 7 lines of the build log</summary>',
        '```text\n#8 [linux/amd64 2/3] RUN make\n',
        '   6 | >>> RUN make\n--------------------\n```\n\n</details>',
        'remote BuildKit `tcp://buildkit.example:1234`'
      ],
      ['### Pushed']
    ],
    [
      'Dockerfile error at an absolute path: shown, not linked',
      failed({
        kind: 'dockerfile',
        message: 'dockerfile parse error on line 3',
        file: '/tmp/Dockerfile',
        line: 3
      }),
      ['**What failed:** Dockerfile at `/tmp/Dockerfile:3`.'],
      ['/blob/']
    ],
    [
      'push refused',
      failed({
        kind: 'push',
        message: 'failed to push ghcr.io/acme/app:v1.2.3: denied: permission_denied',
        logTail: ['#12 pushing layers', 'ERROR: failed to push']
      }),
      [
        '## ❌ Build failed: push to the registry',
        'denied: permission_denied',
        'Last 2 lines of the build log'
      ],
      []
    ],
    [
      'a failure without details is still explained',
      {...newReport(), ctx: context(), meta: metadata()},
      ['## ❌ Build failed: internal error', 'the run failed without an error'],
      []
    ]
  ])('failure: %s', (_name, report, present, absent) => {
    const md = summaryMarkdown(report)
    for (const s of present) expect(md).toContain(s)
    for (const s of absent) expect(md).not.toContain(s)
  })

  test.each<[string, string, string]>([
    [
      'ghcr.io image of the repository owner',
      `${IMAGE}:v1`,
      'https://github.com/Acme/app/pkgs/container/app'
    ],
    [
      'nested ghcr.io name: the slash is encoded',
      'ghcr.io/acme/app/web:v1',
      'https://github.com/Acme/app/pkgs/container/app%2Fweb'
    ],
    ['ghcr.io image of another owner: no link', 'ghcr.io/other/app:v1', ''],
    ['another registry: no link', '127.0.0.1:5000/acme/app:v1', ''],
    ['Docker Hub: no link', 'acme/app:v1', '']
  ])('package page: %s', (_name, ref, url) => {
    expect(packageUrl(ref, context())).toBe(url)
    const md = summaryMarkdown(pushed({pushed: [ref]}))
    if (url) expect(md).toContain(`[package page](${url})`)
    else expect(md).toContain(`| Pushed |\n| --- |\n| \`${ref}\` |`)
  })

  test('a ref with backticks cannot break out of its code span', () => {
    const md = summaryMarkdown(pushed({ctx: context({ref: 'refs/heads/we`ird'})}))
    expect(md).toContain('| Ref | ``refs/heads/we`ird`` |')
  })

  test('a log holding a code fence cannot close the block', () => {
    const md = summaryMarkdown(failed({kind: 'build', message: 'boom', logTail: ['```', 'after']}))
    expect(md).toContain('````text\n```\nafter\n````')
  })

  test('ANSI colour codes are removed from the log tail', () => {
    const md = summaryMarkdown(
      failed({kind: 'build', message: '\u001b[31mboom\u001b[0m', logTail: []})
    )
    expect(md).toContain('```text\nboom\n```')
  })

  test('image sizes per platform, in kB/MB with the bytes in a tooltip', () => {
    const md = summaryMarkdown(pushed())
    expect(md).toContain('### Image size')
    expect(md).toContain('| `linux/amd64` | <span title="1140817 bytes">1.1 MB</span> |')
    expect(md).toContain('| `linux/arm64` | <span title="1082454 bytes">1.1 MB</span> |')
  })

  test('no cacheable steps is said so', () => {
    expect(summaryMarkdown(pushed({cache: {cached: 0, total: 0}}))).toContain(
      '| Cache | no cacheable steps |'
    )
  })

  test('the push phase is listed when it was timed', () => {
    const md = summaryMarkdown(pushed({phases: {build: 2000, push: 61_500}}))
    expect(md).toContain('| Time | build 2.0 s · push 1 min 2 s |')
  })
})

describe('secrets never appear in the summary', () => {
  const PASSWORD = 'ghp_s3cretTokenValue'
  const PEM = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
    'VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGe',
    '-----END PRIVATE KEY-----'
  ].join('\n')

  test.each<[string, RunReport]>([
    [
      'in the failure message',
      failed({kind: 'login', message: `docker login -p ${PASSWORD} failed`})
    ],
    ['in the log tail', failed({kind: 'build', message: 'x', logTail: [`echo ${PASSWORD}`]})],
    [
      'in a label value (escaped in the table)',
      pushed({meta: {...metadata(), labels: [`secret=${PASSWORD}`]}})
    ],
    [
      'one line of a PEM key in the log',
      failed({kind: 'builder', message: 'tls: bad key', logTail: [PEM.split('\n')[1]]})
    ],
    ['a whole PEM key in the message', failed({kind: 'builder', message: `bad key:\n${PEM}`})]
  ])('%s', (_name, report) => {
    const md = summaryMarkdown(report, [PASSWORD, PEM])
    expect(md).not.toContain(PASSWORD)
    expect(md).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7')
    expect(md).toContain('***')
  })

  test('a secret holding a table pipe is masked where the table escaped it', () => {
    const secret = 'pa|ss|word'
    const md = summaryMarkdown(pushed({meta: {...metadata(), labels: [`token=${secret}`]}}), [
      secret
    ])
    expect(md).not.toContain('pa\\|ss\\|word')
    expect(md).toContain('| `token` | *** |')
  })
})

describe('redact', () => {
  test.each<[string, string, string[], string]>([
    ['each occurrence', 'a TOKEN and TOKEN', ['TOKEN'], 'a *** and ***'],
    ['empty secrets are ignored', 'nothing here', ['', ''], 'nothing here'],
    ['the longer secret first', 'abcdef', ['abc', 'abcdef'], '***'],
    ['long lines of a multi-line secret', 'x line-one-long y', ['line-one-long\nshort'], 'x *** y'],
    ['short lines of a multi-line secret stay', 'a short b', ['line-one-long\nshort'], 'a short b'],
    [
      'CRLF multi-line secrets',
      'k=second-line-long',
      ['first-line-long\r\nsecond-line-long'],
      'k=***'
    ]
  ])('%s', (_name, text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected)
  })
})

describe('formatting', () => {
  test.each<[number, string]>([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_234_567, '1.2 MB'],
    [999_960, '1.0 MB'],
    [5_000_000_000, '5.0 GB']
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  test.each<[number, string]>([
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [125_000, '2 min 5 s']
  ])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  test.each<[string, string]>([
    ['ghcr.io/acme/app:v1', 'ghcr.io/acme/app'],
    ['127.0.0.1:5000/app:v1', '127.0.0.1:5000/app'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app'],
    ['ghcr.io/acme/app@sha256:abc', 'ghcr.io/acme/app']
  ])('imageName(%s) = %s', (ref, name) => {
    expect(imageName(ref)).toBe(name)
  })
})
