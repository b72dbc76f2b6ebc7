import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'
import type {NtfyConfig} from '../../src/config.js'
import {headerValue, ntfyMessage, type NtfyRequest, sendNtfy} from '../../src/report/ntfy.js'
import {newReport, type RunReport} from '../../src/report/types.js'
import {ACME_RUN_URL, acmeTagPush} from '../fixtures/git-context.js'

const DIGEST = 'sha256:' + 'e'.repeat(64)
const TOPIC_URL = 'https://ntfy.example.com/builds'

const REFS = ['ghcr.io/acme/app:v1.2.3', 'ghcr.io/acme/app:v1.2', 'ghcr.io/acme/app:latest']

function success(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...newReport(),
    ok: true,
    ctx: acmeTagPush(),
    meta: {version: 'v1.2.3', tags: [], refs: REFS, labels: [], annotations: [], warnings: []},
    durationMs: 65_000,
    builder: {
      kind: 'remote',
      endpoint: 'tcp://buildkit.example:1234',
      fallbackReason: '',
      nodes: [
        {
          name: 'n',
          endpoint: 'tcp://buildkit.example:1234',
          status: 'running',
          buildkitVersion: 'v0.23.1',
          platforms: []
        }
      ]
    },
    platforms: ['linux/amd64', 'linux/arm64'],
    pushed: REFS,
    digest: DIGEST,
    ...overrides
  }
}

function failure(overrides: Partial<RunReport> = {}): RunReport {
  return success({
    ok: false,
    pushed: [],
    digest: '',
    failure: {
      kind: 'dockerfile',
      message: 'process "/bin/sh -c make" did not complete successfully: exit code: 2',
      file: 'Dockerfile',
      line: 6
    },
    ...overrides
  })
}

function ntfy(overrides: Partial<NtfyConfig> = {}): NtfyConfig {
  return {url: TOPIC_URL, token: '', on: 'always', priority: '', ...overrides}
}

function message(
  report: RunReport,
  config: NtfyConfig = ntfy(),
  secrets: string[] = []
): NtfyRequest {
  const req = ntfyMessage(report, config, secrets)
  if (!req) throw new Error('expected a message')
  return req
}

/** What ntfy (Go's mime.WordDecoder) makes of a header value. */
function decodeHeader(value: string): string {
  const words = value.split(' ')
  if (!words.every(w => /^=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=$/.test(w))) return value
  return Buffer.concat(words.map(w => Buffer.from(w.slice(10, -2), 'base64'))).toString('utf8')
}

describe('ntfyMessage: when to send', () => {
  test.each<[NtfyConfig['on'], boolean, boolean]>([
    ['always', true, true],
    ['always', false, true],
    ['success', true, true],
    ['success', false, false],
    ['failure', true, false],
    ['failure', false, true],
    ['never', true, false],
    ['never', false, false]
  ])('ntfy-on %s, ok %s -> sent %s', (on, ok, sent) => {
    const report = ok ? success() : failure()
    expect(ntfyMessage(report, ntfy({on}), []) !== undefined).toBe(sent)
  })

  test('no URL, no message', () => {
    expect(ntfyMessage(success(), ntfy({url: ''}), [])).toBeUndefined()
  })
})

describe('ntfyMessage: headers', () => {
  test('success: title, emoji tag, default priority, click, two actions, markdown', () => {
    const req = message(success())
    expect(req.url).toBe(TOPIC_URL)
    expect(req.method).toBe('POST')
    expect(req.headers).toEqual({
      Title: 'Acme/app v1.2.3: built and pushed',
      Tags: 'white_check_mark',
      Priority: 'default',
      Click: ACME_RUN_URL,
      Actions: `view, View run, ${ACME_RUN_URL}; view, Open package, https://github.com/Acme/app/pkgs/container/app`,
      Markdown: 'yes'
    })
  })

  test('failure: what failed in the title, x tag and kind, high priority, no package action', () => {
    const req = message(failure())
    expect(req.headers.Title).toBe('Acme/app v1.2.3: build failed (Dockerfile)')
    expect(req.headers.Tags).toBe('x,dockerfile')
    expect(req.headers.Priority).toBe('high')
    expect(req.headers.Actions).toBe(`view, View run, ${ACME_RUN_URL}`)
  })

  test.each<[string, RunReport, string]>([
    [
      'a branch',
      success({
        ctx: acmeTagPush({ref: 'refs/heads/main', refKind: 'branch', branch: 'main', tag: ''})
      }),
      'Acme/app main: built and pushed'
    ],
    [
      'a pull request',
      success({
        pushed: [],
        notPushedReason: 'pull request from a fork',
        ctx: acmeTagPush({prNumber: 42, tag: ''})
      }),
      'Acme/app PR #42: built, not pushed (pull request from a fork)'
    ],
    [
      'a dry run',
      success({dryRun: true, pushed: [], notPushedReason: 'dry run'}),
      'Acme/app v1.2.3: dry run ok'
    ],
    [
      'push: false',
      success({pushed: [], notPushedReason: 'push: false'}),
      'Acme/app v1.2.3: built, not pushed (push: false)'
    ],
    ['no context', success({ctx: undefined}), 'k8s-build-action: built and pushed'],
    [
      'a login failure',
      failure({failure: {kind: 'login', message: 'denied'}}),
      'Acme/app v1.2.3: build failed (registry login)'
    ]
  ])('title for %s', (_name, report, title) => {
    expect(message(report).headers.Title).toBe(title)
  })

  test.each<[string, boolean, string, string]>([
    ['ntfy-priority wins for failures', false, 'urgent', 'urgent'],
    ['ntfy-priority wins for success', true, '2', '2'],
    ['default for success', true, '', 'default'],
    ['high for failures', false, '', 'high']
  ])('priority: %s', (_name, ok, priority, expected) => {
    expect(message(ok ? success() : failure(), ntfy({priority})).headers.Priority).toBe(expected)
  })

  test.each<[string, string, string | undefined]>([
    ['a token is a bearer token', 'tk_abc123', 'Bearer tk_abc123'],
    ['a token given with its "Bearer " prefix', 'Bearer tk_abc123', 'Bearer tk_abc123'],
    [
      'user:password is basic auth',
      'alice:s3cr:et',
      `Basic ${Buffer.from('alice:s3cr:et').toString('base64')}`
    ],
    ['no token, no header', '', undefined]
  ])('authorization: %s', (_name, token, expected) => {
    expect(message(success(), ntfy({token})).headers.Authorization).toBe(expected)
  })

  test('credentials in the URL become basic auth and leave the URL', () => {
    const req = message(success(), ntfy({url: 'https://alice:p%40ss@ntfy.example.com/builds'}))
    expect(req.url).toBe('https://ntfy.example.com/builds')
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from('alice:p@ss').toString('base64')}`)
  })

  test('fallback adds a warning tag; a dry run a dry-run tag', () => {
    const fallback = success({
      builder: {kind: 'fallback', endpoint: 'local', fallbackReason: 'host unreachable', nodes: []}
    })
    expect(message(fallback).headers.Tags).toBe('white_check_mark,warning')
    expect(message(success({dryRun: true})).headers.Tags).toBe('white_check_mark,dry-run')
    const planned = success({
      builder: {
        kind: 'fallback',
        endpoint: 'local',
        fallbackReason: '',
        nodes: []
      }
    })
    expect(message(planned).headers.Tags).toBe('white_check_mark')
  })

  test('no run URL: no Click, no Actions', () => {
    const req = message(failure({ctx: acmeTagPush({runUrl: ''})}))
    expect(req.headers.Click).toBeUndefined()
    expect(req.headers.Actions).toBeUndefined()
  })

  test('an action URL holding a comma or semicolon is quoted', () => {
    const req = message(failure({ctx: acmeTagPush({runUrl: 'https://ci.example/run?a=1,2;b'})}))
    expect(req.headers.Actions).toBe('view, View run, "https://ci.example/run?a=1,2;b"')
  })

  test('a non-ASCII branch name makes an RFC 2047 title that decodes back and fetch accepts', () => {
    const branch = 'feature/ünïcödé-🚀'
    const req = message(success({ctx: acmeTagPush({tag: '', ref: `refs/heads/${branch}`, branch})}))
    expect(req.headers.Title).toMatch(/^=\?UTF-8\?B\?/)
    expect(decodeHeader(req.headers.Title)).toBe(`Acme/app ${branch}: built and pushed`)
    expect(() => new Headers(req.headers)).not.toThrow()
  })

  test('every header value is one line, ASCII, and headers fetch accepts', () => {
    const req = message(failure({ctx: acmeTagPush({tag: 'v1\r\nX-Injected: yes'})}))
    for (const value of Object.values(req.headers)) expect(value).toMatch(/^[\x20-\x7e]*$/)
    expect(req.headers.Title).toBe('Acme/app v1 X-Injected: yes: build failed (Dockerfile)')
  })
})

describe('headerValue (RFC 2047 for non-ASCII)', () => {
  test.each<[string, string]>([
    ['plain ASCII stays', 'Acme/app main: built'],
    ['Latin-1 is encoded too (fetch would send raw bytes ntfy cannot read)', 'Äpfel'],
    ['emoji', '🚀 deploy'],
    ['long text is split into several encoded words', 'ü'.repeat(40) + '🚀'.repeat(20) + ' end'],
    ['CJK', '構築に成功しました'.repeat(5)]
  ])('%s', (_name, text) => {
    const value = headerValue(text)
    expect(decodeHeader(value)).toBe(text)
    for (const word of value.split(' '))
      if (word.startsWith('=?')) expect(word.length).toBeLessThanOrEqual(75)
    expect(value).toMatch(/^[\x20-\x7e]*$/)
  })

  test('ASCII is not encoded', () => {
    expect(headerValue('plain')).toBe('plain')
    expect(headerValue('Äpfel')).toBe('=?UTF-8?B?w4RwZmVs?=')
  })
})

describe('ntfyMessage: body', () => {
  test('success: image ref, more tags, digest, builder, platforms, duration', () => {
    expect(message(success()).body).toBe(
      [
        '- **Image:** `ghcr.io/acme/app:v1.2.3` (+2 more)',
        `- **Digest:** \`${DIGEST}\``,
        '- **Builder:** remote tcp://buildkit.example:1234 (BuildKit v0.23.1)',
        '- **Platforms:** linux/amd64, linux/arm64',
        '- **Duration:** 1 min 5 s'
      ].join('\n')
    )
  })

  test('fallback names the reason', () => {
    const req = message(
      success({
        builder: {
          kind: 'fallback',
          endpoint: 'local',
          fallbackReason: 'host tcp://b:1234 unreachable',
          nodes: []
        }
      })
    )
    expect(req.body).toContain('- **Builder:** runner (fallback: host tcp://b:1234 unreachable)')
  })

  test('not pushed says why', () => {
    const req = message(
      success({pushed: [], digest: '', notPushedReason: 'pull request from a fork'})
    )
    expect(req.body).toContain('- **Image:** `ghcr.io/acme/app:v1.2.3` (+2 more)')
    expect(req.body).toContain('- **Not pushed:** pull request from a fork')
  })

  test('dry run', () => {
    const req = message(
      success({dryRun: true, pushed: [], digest: '', builder: undefined, platforms: []})
    )
    expect(req.body).toBe(
      'Dry run: nothing built or pushed.\n\n- **Image:** `ghcr.io/acme/app:v1.2.3` (+2 more)\n- **Duration:** 1 min 5 s'
    )
  })

  test('failure: what, where, the error in a code block', () => {
    expect(message(failure()).body).toBe(
      [
        '**Build failed: Dockerfile** at `Dockerfile:6`',
        '',
        '```\nprocess "/bin/sh -c make" did not complete successfully: exit code: 2\n```',
        '',
        '- **Builder:** remote tcp://buildkit.example:1234 (BuildKit v0.23.1)',
        '- **Platforms:** linux/amd64, linux/arm64',
        '- **Duration:** 1 min 5 s'
      ].join('\n')
    )
  })

  test("a huge error stays under ntfy's 4096-byte message limit", () => {
    const req = message(failure({failure: {kind: 'build', message: 'é'.repeat(10_000)}}))
    expect(Buffer.byteLength(req.body, 'utf8')).toBeLessThanOrEqual(3800)
    expect(req.body).toContain('…\n```\n')
    expect(req.body).toContain('- **Duration:** 1 min 5 s')
  })

  test('secrets are redacted in the body, title and actions', () => {
    const secret = 'ghp_leakedToken123'
    const req = message(
      failure({
        ctx: acmeTagPush({tag: secret, runUrl: `https://ci.example/${secret}`}),
        failure: {kind: 'login', message: `login with ${secret} failed`}
      }),
      ntfy(),
      [secret]
    )
    expect(JSON.stringify({...req.headers, body: req.body})).not.toContain(secret)
    expect(req.body).toContain('login with *** failed')
    expect(req.headers.Title).toContain('***')
  })
})

describe('sendNtfy against a local HTTP server', () => {
  /** Each request's answer, in order; 'hang' never answers. */
  let answers: (number | 'hang')[] = []
  let received: {headers: http.IncomingHttpHeaders; body: string}[] = []
  let server: http.Server
  let url = ''

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ''
      req.on('data', c => (body += c))
      req.on('end', () => {
        received.push({headers: req.headers, body})
        const answer = answers.shift() ?? 200
        if (answer === 'hang') return
        res.writeHead(answer, {'Content-Type': 'application/json'})
        res.end(
          answer === 200
            ? '{"id":"x"}'
            : `{"code":${answer}01,"http":${answer},"error":"refused ${answer}"}`
        )
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret-topic`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  function run(
    setup: (number | 'hang')[],
    token = 'tk_supersecret',
    timeoutMs = 2000
  ): Promise<{ok: boolean; warnings: string[]}> {
    answers = setup
    received = []
    const warnings: string[] = []
    const req = message(
      failure({ctx: acmeTagPush({tag: '', branch: 'ünï', ref: 'refs/heads/ünï'})}),
      ntfy({url, token})
    )
    return sendNtfy(req, m => warnings.push(m), timeoutMs).then(ok => ({ok, warnings}))
  }

  test('delivered: one request with the headers and body ntfy reads', async () => {
    const {ok, warnings} = await run([200])
    expect(ok).toBe(true)
    expect(warnings).toEqual([])
    expect(received).toHaveLength(1)
    expect(received[0].headers.authorization).toBe('Bearer tk_supersecret')
    expect(received[0].headers.markdown).toBe('yes')
    expect(decodeHeader(String(received[0].headers.title))).toBe(
      'Acme/app ünï: build failed (Dockerfile)'
    )
    expect(received[0].body).toContain('**Build failed: Dockerfile**')
  })

  test.each<[string, (number | 'hang')[], boolean, number]>([
    ['a 500 then success: retried once, delivered', [500, 200], true, 2],
    ['two 503s: retried once, then a warning', [503, 503], false, 2],
    ['429: retried', [429, 200], true, 2],
    ['401: not retried (it would be refused again)', [401], false, 1],
    ['403: not retried', [403], false, 1]
  ])('%s', async (_name, setup, delivered, requests) => {
    const {ok, warnings} = await run(setup)
    expect(ok).toBe(delivered)
    expect(received).toHaveLength(requests)
    expect(warnings).toHaveLength(delivered ? 0 : 1)
  })

  test('the warning names the server and the status, never the token or topic', async () => {
    const {warnings} = await run([401], 'alice:hunter2-password')
    expect(warnings[0]).toMatch(
      /^ntfy notification to http:\/\/127\.0\.0\.1:\d+ was not delivered: HTTP 401 \(refused 401\)/
    )
    expect(warnings[0]).toContain('The build result is not affected.')
    for (const leak of [
      'hunter2',
      'alice',
      'secret-topic',
      Buffer.from('alice:hunter2-password').toString('base64')
    ]) {
      expect(warnings[0]).not.toContain(leak)
    }
  })

  test('no answer within the timeout: retried once, then a warning', async () => {
    const {ok, warnings} = await run(['hang', 'hang'], 'tk_x', 300)
    expect(ok).toBe(false)
    expect(received).toHaveLength(2)
    expect(warnings[0]).toContain('no answer within 300 ms')
  })

  test('server down: a warning with the reason, not an exception', async () => {
    const closed = http.createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    const warnings: string[] = []
    const ok = await sendNtfy(
      message(success(), ntfy({url: `http://127.0.0.1:${port}/t`})),
      m => warnings.push(m),
      1000
    )
    expect(ok).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('ECONNREFUSED')
  })
})
