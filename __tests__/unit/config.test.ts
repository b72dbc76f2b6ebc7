import {describe, expect, test} from '@jest/globals'
import {ConfigError, parseConfig, registryOf, type Config} from '../../src/config.js'
import {splitList} from '../../src/inputs.js'
import {defaultFlavor} from '../../src/metadata/flavor.js'

type Inputs = Record<string, string>
type Env = Record<string, string | undefined>

const ENV: Env = {GITHUB_REPOSITORY: 'Octo-Org/Hello-World', GITHUB_ACTOR: 'octocat'}

/** getInput as the runner gives it: trimmed, '' when unset. */
function parse(inputs: Inputs, env: Env = ENV): {config: Config; notices: string[]} {
  return parseConfig(name => (inputs[name] ?? '').trim(), env)
}

/** The message parseConfig fails with (the test fails if it does not). */
function failure(inputs: Inputs, env: Env = ENV): string {
  try {
    parse(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(inputs)}`)
}

const PEM_CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----'
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'

describe('defaults', () => {
  test('no inputs', () => {
    expect(parse({})).toEqual({
      config: {
        images: ['ghcr.io/octo-org/hello-world'],
        tagRules: [],
        flavor: defaultFlavor(),
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
        username: 'octocat',
        password: '',
        cacheFrom: [],
        cacheTo: [],
        provenance: '',
        sbom: '',
        environment: '',
        ntfy: {url: '', token: '', on: 'never', priority: ''},
        summary: true,
        dryRun: false
      },
      notices: []
    })
  })

  test('buildkit-host comes from BUILDKIT_HOST', () => {
    const {config} = parse({}, {...ENV, BUILDKIT_HOST: 'tcp://127.0.0.1:1234'})
    expect(config.buildkitHosts).toEqual([{endpoint: 'tcp://127.0.0.1:1234', platforms: []}])
  })

  test('the buildkit-host input wins over BUILDKIT_HOST', () => {
    const {config} = parse(
      {'buildkit-host': 'tcp://10.0.0.1:1234'},
      {...ENV, BUILDKIT_HOST: 'tcp://127.0.0.1:1234'}
    )
    expect(config.buildkitHosts.map(n => n.endpoint)).toEqual(['tcp://10.0.0.1:1234'])
  })

  test('explicit username, password and registry are kept', () => {
    const {config} = parse({registry: 'docker.io', username: 'bot', password: 'token'})
    expect(config).toMatchObject({registry: 'docker.io', username: 'bot', password: 'token'})
  })

  test('raw values are passed through', () => {
    const {config} = parse({
      context: './app',
      file: './app/Dockerfile.prod',
      target: 'runtime',
      provenance: 'mode=max',
      sbom: 'true',
      environment: 'prod',
      'ntfy-token': 'tk_abc'
    })
    expect(config).toMatchObject({
      context: './app',
      file: './app/Dockerfile.prod',
      target: 'runtime',
      provenance: 'mode=max',
      sbom: 'true',
      environment: 'prod',
      ntfy: {token: 'tk_abc'}
    })
  })
})

describe('images', () => {
  test('uppercase is lowered with a notice', () => {
    const {config, notices} = parse({images: 'GHCR.io/Octo/App'})
    expect(config.images).toEqual(['ghcr.io/octo/app'])
    expect(notices).toEqual([
      'Input "images": "GHCR.io/Octo/App" lowered to "ghcr.io/octo/app" (image names must be lowercase)'
    ])
  })

  test.each([
    ['ghcr.io/o/a, ghcr.io/o/b\nquay.io/o/c', ['ghcr.io/o/a', 'ghcr.io/o/b', 'quay.io/o/c']],
    ['# old one\nghcr.io/o/a\n\n', ['ghcr.io/o/a']],
    ['ghcr.io/o/a\nGHCR.IO/O/A', ['ghcr.io/o/a']],
    ['nginx', ['nginx']],
    ['127.0.0.1:5000/x/y', ['127.0.0.1:5000/x/y']],
    ['localhost/my_app__x.y-z', ['localhost/my_app__x.y-z']],
    ['[::1]:5000/a', ['[::1]:5000/a']]
  ])('%j is read as %j', (images, expected) => {
    expect(parse({images}).config.images).toEqual(expected)
  })

  test.each([
    ['ghcr.io/o/a', 'ghcr.io'],
    ['o/a', 'docker.io'],
    ['nginx', 'docker.io'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000'],
    ['localhost/x', 'localhost'],
    ['registry.example.com:5443/team/app', 'registry.example.com:5443']
  ])('registry of %s is %s', (images, registry) => {
    expect(registryOf(images)).toBe(registry)
    expect(parse({images}).config.registry).toBe(registry)
  })
})

describe('list inputs', () => {
  test.each<[string, string, keyof Config, string[]]>([
    ['platforms by comma', 'linux/amd64,linux/arm64', 'platforms', ['linux/amd64', 'linux/arm64']],
    ['platforms by line', 'linux/amd64\nlinux/arm64', 'platforms', ['linux/amd64', 'linux/arm64']],
    [
      'platforms, spaces and a trailing comma',
      ' linux/amd64 , linux/arm64 ,',
      'platforms',
      ['linux/amd64', 'linux/arm64']
    ],
    [
      'platforms, duplicates and case',
      'linux/amd64,Linux/AMD64,linux/arm/v7',
      'platforms',
      ['linux/amd64', 'linux/arm/v7']
    ],
    [
      'cache-from keeps commas',
      'type=registry,ref=ghcr.io/o/a:cache\ntype=gha',
      'cacheFrom',
      ['type=registry,ref=ghcr.io/o/a:cache', 'type=gha']
    ],
    [
      'cache-to keeps commas',
      'type=registry,ref=ghcr.io/o/a:cache,mode=max',
      'cacheTo',
      ['type=registry,ref=ghcr.io/o/a:cache,mode=max']
    ],
    ['build-args keep commas', 'A=1,2\nB="x y"', 'buildArgs', ['A=1,2', 'B="x y"']],
    [
      'labels keep commas',
      'org.opencontainers.image.title=a,b\n# comment\nx=y',
      'labels',
      ['org.opencontainers.image.title=a,b', 'x=y']
    ],
    [
      'annotations keep commas',
      'manifest:a=b,c\nindex:d=e',
      'annotations',
      ['manifest:a=b,c', 'index:d=e']
    ],
    [
      'secrets, a quoted multi-line value',
      '"KEY=line1\nline2"\nOTHER=x,y',
      'secrets',
      ['KEY=line1\nline2', 'OTHER=x,y']
    ],
    ['secrets, an empty value (fork PRs)', 'NPM_TOKEN=', 'secrets', ['NPM_TOKEN=']]
  ])('%s', (_, raw, field, expected) => {
    const name = {
      platforms: 'platforms',
      cacheFrom: 'cache-from',
      cacheTo: 'cache-to',
      buildArgs: 'build-args',
      labels: 'labels',
      annotations: 'annotations',
      secrets: 'secrets'
    }[field as string] as string
    expect(parse({[name]: raw}).config[field]).toEqual(expected)
  })

  test('tags: one rule per line, commas stay inside a rule, comments dropped', () => {
    const {config} = parse({
      tags: 'type=ref,event=branch\n# not now: type=edge\ntype=sha,prefix=commit-'
    })
    expect(config.tagRules.map(r => r.line).sort()).toEqual([
      'type=ref,event=branch',
      'type=sha,prefix=commit-'
    ])
  })

  test('flavor: one entry per line', () => {
    const {config} = parse({flavor: 'latest=false\nprefix=app-,onlatest=true'})
    expect(config.flavor).toMatchObject({latest: false, prefix: 'app-', prefixLatest: true})
  })
})

describe('splitList', () => {
  test.each<[string, boolean, boolean, string[]]>([
    ['a,b\nc', true, false, ['a', 'b', 'c']],
    ['a,b\nc', false, false, ['a,b', 'c']],
    ['a\r\nb\r\n', false, false, ['a', 'b']],
    ['  a  \n\n  \n b ', false, false, ['a', 'b']],
    ['"a,b",c', true, false, ['a,b', 'c']],
    ['"say ""hi""",x', true, false, ['say "hi"', 'x']],
    ['"multi\nline"\nnext', false, false, ['multi\nline', 'next']],
    ['K="v w"', false, false, ['K="v w"']],
    ['# a, b\nc', true, true, ['c']],
    ['# a\nc', true, false, ['# a', 'c']],
    ['c # not a comment', false, true, ['c # not a comment']]
  ])('%j (comma %s, comments %s)', (raw, comma, comments, expected) => {
    expect(splitList(raw, {comma, comments})).toEqual(expected)
  })
})

describe('buildkit-host', () => {
  test('several hosts, each with its platforms', () => {
    const {config} = parse({
      'buildkit-host':
        '# amd64 box\ntcp://a:1234 linux/amd64\n\ntcp://b:1234  linux/arm64,linux/arm/v7\ntcp://c:1234, linux/ppc64le'
    })
    expect(config.buildkitHosts).toEqual([
      {endpoint: 'tcp://a:1234', platforms: ['linux/amd64']},
      {endpoint: 'tcp://b:1234', platforms: ['linux/arm64', 'linux/arm/v7']},
      {endpoint: 'tcp://c:1234', platforms: ['linux/ppc64le']}
    ])
  })

  test.each([
    'tcp://127.0.0.1:1234',
    'tcp://buildkit.example.com:65535',
    'tcp://buildkit_1:1',
    'tcp://[::1]:1234',
    'unix:///run/buildkit/buildkitd.sock',
    'ssh://builder@buildkit.example.com',
    'ssh://buildkit.example.com:2222',
    'docker-container://buildkitd',
    'kube-pod://buildkitd-0?namespace=ci',
    'npipe:////./pipe/buildkitd'
  ])('accepts %s', endpoint => {
    expect(parse({'buildkit-host': endpoint}).config.buildkitHosts).toEqual([
      {endpoint, platforms: []}
    ])
  })

  test('TLS material is kept raw, PEM text or path', () => {
    const {config, notices} = parse({
      'buildkit-host': 'tcp://a:1234',
      'buildkit-tls-ca': PEM_CA,
      'buildkit-tls-cert': '/etc/buildkit/client.pem',
      'buildkit-tls-key': PEM_KEY
    })
    expect(config.tls).toEqual({ca: PEM_CA, cert: '/etc/buildkit/client.pem', key: PEM_KEY})
    expect(notices).toEqual([])
  })

  test('a CA alone is enough (server TLS without client certificate)', () => {
    expect(parse({'buildkit-host': 'tcp://a:1234', 'buildkit-tls-ca': PEM_CA}).config.tls.ca).toBe(
      PEM_CA
    )
  })

  test('TLS material without a host is a notice: the build runs on the runner', () => {
    const {config, notices} = parse({
      'buildkit-tls-ca': PEM_CA,
      'buildkit-tls-cert': PEM_CERT,
      'buildkit-tls-key': PEM_KEY
    })
    expect(config.buildkitHosts).toEqual([])
    expect(notices).toEqual([
      'buildkit-tls-* inputs are set but no buildkit-host is given; they are ignored and the image is built on the runner'
    ])
  })
})

describe('scalar inputs', () => {
  test.each([
    ['', 'auto'],
    ['auto', 'auto'],
    ['Auto', 'auto'],
    ['true', true],
    ['FALSE', false]
  ])('push %j is %j', (push, expected) => {
    expect(parse({push}).config.push).toBe(expected)
  })

  test.each<[string, string, keyof Config, boolean]>([
    ['fallback', 'false', 'fallback', false],
    ['fallback', 'True', 'fallback', true],
    ['summary', 'FALSE', 'summary', false],
    ['dry-run', 'true', 'dryRun', true],
    ['dry-run', '', 'dryRun', false]
  ])('%s %j', (input, raw, field, expected) => {
    expect(parse({[input]: raw}).config[field]).toBe(expected)
  })

  test.each([
    ['', 5000],
    ['5', 5000],
    ['2.5', 2500],
    ['10s', 10000],
    ['500ms', 500],
    ['.5', 500]
  ])('connect-timeout %j is %i ms', (raw, ms) => {
    expect(parse({'connect-timeout': raw}).config.connectTimeoutMs).toBe(ms)
  })
})

describe('ntfy', () => {
  test('a URL turns notifications on, always by default', () => {
    expect(parse({'ntfy-url': 'https://ntfy.example.com/builds/'}).config.ntfy).toEqual({
      url: 'https://ntfy.example.com/builds',
      token: '',
      on: 'always',
      priority: ''
    })
  })

  test.each([
    ['FAILURE', '', 'failure', ''],
    ['success', 'High', 'success', 'high'],
    ['never', '5', 'never', '5']
  ])('ntfy-on %j, priority %j', (on, priority, expectedOn, expectedPriority) => {
    const {config} = parse({
      'ntfy-url': 'http://127.0.0.1:8090/ci',
      'ntfy-on': on,
      'ntfy-priority': priority
    })
    expect(config.ntfy).toMatchObject({on: expectedOn, priority: expectedPriority})
  })

  test('ntfy-on without a URL is a notice and sends nothing', () => {
    const {config, notices} = parse({'ntfy-on': 'failure'})
    expect(config.ntfy.on).toBe('never')
    expect(notices).toEqual(['ntfy-on is set but ntfy-url is empty; no notification is sent'])
  })
})

describe('bad inputs name the input and the fix', () => {
  test.each<[string, Inputs, string]>([
    [
      'image with a space',
      {images: 'ghcr.io/owner/my app'},
      'Input "images": "ghcr.io/owner/my app" contains whitespace; give one image per line or separate them with commas'
    ],
    [
      'image with a digest',
      {images: 'ghcr.io/o/app@sha256:abcd'},
      'Input "images": "ghcr.io/o/app@sha256:abcd" has a digest; give the name only, e.g. ghcr.io/owner/app'
    ],
    [
      'image with a tag',
      {images: 'ghcr.io/o/app:1.0'},
      'Input "images": "ghcr.io/o/app:1.0" has a tag (":1.0"); give the name only, the tags come from the "tags" input'
    ],
    [
      'bare name with a tag',
      {images: 'localhost:5000'},
      'Input "images": "localhost:5000" has a tag (":5000")'
    ],
    [
      'empty path component',
      {images: 'ghcr.io//app'},
      'Input "images": "ghcr.io//app" has an empty path component (a leading, trailing or double "/")'
    ],
    ['trailing slash', {images: 'ghcr.io/o/'}, 'has an empty path component'],
    [
      'invalid character',
      {images: 'ghcr.io/o/app!'},
      'Input "images": "ghcr.io/o/app!" has an invalid path component "app!": use lowercase letters and digits'
    ],
    ['leading separator', {images: 'ghcr.io/o/-app'}, 'has an invalid path component "-app"'],
    [
      "metadata-action's name= form",
      {images: 'name=ghcr.io/o/app'},
      "not metadata-action's name=...,enable=... form"
    ],
    [
      'bad registry port',
      {images: 'reg.example.com:99999/o/a'},
      'has an invalid registry host "reg.example.com:99999"'
    ],
    [
      'unknown platform',
      {platforms: 'linux/amd65'},
      'Input "platforms": "linux/amd65" is not a known platform; did you mean linux/amd64? use os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7'
    ],
    ['arch without os', {platforms: 'arm64'}, 'Input "platforms": "arm64" is not a known platform'],
    [
      'malformed tag rule',
      {tags: 'type=foo,value=x'},
      'Input "tags": rule "type=foo,value=x": unknown type "foo"'
    ],
    ['malformed flavor', {flavor: 'latest=sometimes'}, 'Input "flavor"'],
    [
      'http:// host',
      {'buildkit-host': 'http://x:1'},
      'Input "buildkit-host": "http://x:1" uses http://, but BuildKit is reached over tcp:// (gRPC); write tcp://x:1'
    ],
    [
      'tcp host without port',
      {'buildkit-host': 'tcp://host'},
      'Input "buildkit-host": "tcp://host" has no port; BuildKit has no default port, write e.g. tcp://host:1234'
    ],
    [
      'port out of range',
      {'buildkit-host': 'tcp://host:70000'},
      'Input "buildkit-host": "tcp://host:70000" has port 70000, outside 1-65535'
    ],
    ['port zero', {'buildkit-host': 'tcp://host:0'}, 'has port 0, outside 1-65535'],
    [
      'port not a number',
      {'buildkit-host': 'tcp://host:abc'},
      'has an invalid port "abc"; use a number 1-65535'
    ],
    [
      'no scheme',
      {'buildkit-host': 'buildkit.example.com:1234'},
      'Input "buildkit-host": "buildkit.example.com:1234" is not a BuildKit endpoint; use tcp://host:port, unix:///path/to/buildkitd.sock, ssh://user@host, docker-container://name, kube-pod://name or npipe:////./pipe/name'
    ],
    [
      'ssl:// scheme',
      {'buildkit-host': 'ssl://h:1234'},
      'write tcp://h:1234 and give buildkit-tls-ca'
    ],
    [
      'unknown scheme',
      {'buildkit-host': 'ftp://h:1'},
      'has an unknown scheme "ftp"; use tcp://host:port'
    ],
    [
      'relative unix socket',
      {'buildkit-host': 'unix://buildkitd.sock'},
      'needs an absolute socket path'
    ],
    ['tcp with a path', {'buildkit-host': 'tcp://h:1234/x'}, 'has a path; give host:port only'],
    ['tcp without host', {'buildkit-host': 'tcp://:1234'}, 'needs a host'],
    [
      'empty container name',
      {'buildkit-host': 'docker-container://'},
      'names no docker-container target'
    ],
    [
      'node platform unknown',
      {'buildkit-host': 'tcp://a:1 linux/amd65'},
      'Input "buildkit-host": "linux/amd65" is not a known platform; did you mean linux/amd64?'
    ],
    [
      'platform on two nodes',
      {'buildkit-host': 'tcp://a:1 linux/amd64\ntcp://b:2 linux/amd64'},
      'Input "buildkit-host": linux/amd64 is on both tcp://a:1 and tcp://b:2; give each platform to one host'
    ],
    [
      'one platform, two spellings, two nodes',
      {'buildkit-host': 'tcp://a:1 linux/arm64\ntcp://b:2 linux/arm64/v8'},
      'linux/arm64/v8 is on both tcp://a:1 and tcp://b:2'
    ],
    [
      'host listed twice',
      {'buildkit-host': 'tcp://a:1 linux/amd64\ntcp://a:1 linux/arm64'},
      '"tcp://a:1" is listed twice'
    ],
    [
      'cert without key',
      {'buildkit-host': 'tcp://a:1', 'buildkit-tls-ca': PEM_CA, 'buildkit-tls-cert': PEM_CERT},
      'Input "buildkit-tls-cert": is given without buildkit-tls-key; give both or neither'
    ],
    [
      'key without cert',
      {'buildkit-host': 'tcp://a:1', 'buildkit-tls-ca': PEM_CA, 'buildkit-tls-key': PEM_KEY},
      'Input "buildkit-tls-key": is given without buildkit-tls-cert'
    ],
    [
      'client cert without CA',
      {'buildkit-host': 'tcp://a:1', 'buildkit-tls-cert': PEM_CERT, 'buildkit-tls-key': PEM_KEY},
      'Input "buildkit-tls-ca": is required with a client certificate'
    ],
    [
      'truncated PEM',
      {'buildkit-host': 'tcp://a:1', 'buildkit-tls-ca': '-----BEGIN CERTIFICATE-----\nMIIB'},
      'Input "buildkit-tls-ca": PEM text has no -----END ...----- line'
    ],
    [
      'connect-timeout abc',
      {'connect-timeout': 'abc'},
      'Input "connect-timeout": "abc" is not a timeout; give seconds above 0, e.g. 5, 2.5 or 10s'
    ],
    [
      'connect-timeout 0',
      {'connect-timeout': '0'},
      'Input "connect-timeout": "0" is not a timeout'
    ],
    [
      'connect-timeout negative',
      {'connect-timeout': '-1'},
      'Input "connect-timeout": "-1" is not a timeout'
    ],
    [
      'ntfy-on sometimes',
      {'ntfy-url': 'https://ntfy.sh/t', 'ntfy-on': 'sometimes'},
      'Input "ntfy-on": "sometimes" is not allowed; use success, failure, always, never'
    ],
    [
      'ntfy-url without topic',
      {'ntfy-url': 'https://ntfy.sh/'},
      'Input "ntfy-url": "https://ntfy.sh/" is not an ntfy topic URL; use http(s)://server/topic, e.g. https://ntfy.sh/my-builds'
    ],
    [
      'ntfy-url not http',
      {'ntfy-url': 'ftp://ntfy.sh/t'},
      'Input "ntfy-url": "ftp://ntfy.sh/t" is not an ntfy topic URL'
    ],
    [
      'ntfy-url not a URL',
      {'ntfy-url': 'builds'},
      'Input "ntfy-url": "builds" is not an ntfy topic URL'
    ],
    [
      'ntfy-priority loud',
      {'ntfy-priority': 'loud'},
      'Input "ntfy-priority": "loud" is not a priority; use 1-5 or min, low, default, high, urgent'
    ],
    ['ntfy-priority 6', {'ntfy-priority': '6'}, 'Input "ntfy-priority": "6" is not a priority'],
    [
      'push maybe',
      {push: 'maybe'},
      'Input "push": "maybe" is not allowed; use auto (push except for pull requests from forks), true or false'
    ],
    [
      'fallback yes',
      {fallback: 'yes'},
      'Input "fallback": "yes" is not a boolean; use true or false'
    ],
    ['summary 1', {summary: '1'}, 'Input "summary": "1" is not a boolean; use true or false'],
    ['dry-run no', {'dry-run': 'no'}, 'Input "dry-run": "no" is not a boolean; use true or false'],
    [
      'label without =',
      {labels: 'maintainer'},
      'Input "labels": "maintainer" is not KEY=VALUE; write one per line, e.g. org.opencontainers.image.vendor=ACME'
    ],
    ['annotation without key', {annotations: '=x'}, 'Input "annotations": "=x" is not KEY=VALUE'],
    [
      'build-arg without name',
      {'build-args': '=x'},
      'Input "build-args": entry 1 is not NAME=VALUE; write NAME=VALUE, one per line'
    ],
    [
      'bare build-arg name (buildx would copy the runner variable)',
      {'build-args': 'A=1\nHOME'},
      'Input "build-args": entry 2 is not NAME=VALUE; write NAME=VALUE, one per line'
    ],
    [
      'environment with a space',
      {environment: 'prod eu'},
      'Input "environment": "prod eu" cannot start an image tag; use letters, digits, ".", "_" and "-", e.g. prod'
    ]
  ])('%s', (_, inputs, message) => {
    expect(failure(inputs)).toContain(message)
  })

  test('a bad BUILDKIT_HOST says where the value came from', () => {
    expect(failure({}, {...ENV, BUILDKIT_HOST: 'localhost:1234'})).toContain(
      'Input "buildkit-host" (from BUILDKIT_HOST): "localhost:1234" is not a BuildKit endpoint'
    )
  })

  test('no images and no GITHUB_REPOSITORY', () => {
    expect(failure({}, {})).toBe(
      'Input "images": no image given and GITHUB_REPOSITORY is not set; set images, e.g. ghcr.io/owner/app'
    )
  })

  test('a default image that is not a valid name', () => {
    expect(failure({}, {GITHUB_REPOSITORY: 'octo-org/.github'})).toContain(
      'Input "images": the default image "ghcr.io/octo-org/.github" has an invalid path component ".github"'
    )
  })

  test.each([
    ['secrets', {secrets: 'supersecretvalue'}, 'Input "secrets": entry 1 is not ID=VALUE'],
    [
      'buildkit-tls-key',
      {
        'buildkit-host': 'tcp://a:1',
        'buildkit-tls-ca': PEM_CA,
        'buildkit-tls-cert': PEM_CERT,
        'buildkit-tls-key': 'supersecretvalue\nmore'
      },
      'Input "buildkit-tls-key": is neither PEM text (starting with -----BEGIN) nor a file path'
    ]
  ])('%s errors never echo the value', (_, inputs, message) => {
    const text = failure(inputs)
    expect(text).toContain(message)
    expect(text).not.toContain('supersecretvalue')
  })

  test('every problem is reported at once', () => {
    let error: unknown
    try {
      parse({push: 'maybe', fallback: 'yes', platforms: 'linux/amd65'})
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toHaveLength(3)
    expect((error as Error).message).toBe(
      [
        'Invalid inputs:',
        '- Input "platforms": "linux/amd65" is not a known platform; did you mean linux/amd64? use os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7',
        '- Input "push": "maybe" is not allowed; use auto (push except for pull requests from forks), true or false',
        '- Input "fallback": "yes" is not a boolean; use true or false'
      ].join('\n')
    )
  })

  test('no suggestion when nothing known is close', () => {
    const text = failure({platforms: 'beos/ppc'})
    expect(text).toContain('"beos/ppc" is not a known platform; use os/arch[/variant]')
    expect(text).not.toContain('did you mean')
  })
})
