// inputs -> Config: every input read and validated once, here, into one typed
// object. Nothing else in the action calls core.getInput.
import * as core from '@actions/core'
import {parseTagRules, type TagRule} from './metadata/rules.js'
import {defaultFlavor, parseFlavor, type Flavor} from './metadata/flavor.js'
import {splitList} from './inputs.js'

export type PushMode = 'auto' | boolean
export type NtfyOn = 'success' | 'failure' | 'always' | 'never'

/** One remote BuildKit node: its endpoint and (optionally) the platforms it builds natively. */
export interface BuildkitNode {
  /** As given: tcp://host:port, unix:///path, ssh://, docker-container://, kube-pod://, npipe:// (buildx's remote driver schemes). */
  endpoint: string
  platforms: string[]
}

/** TLS material for the remote builder: each is PEM text or a file path, '' when not given. */
export interface BuildkitTls {
  ca: string
  cert: string
  key: string
}

export interface NtfyConfig {
  /** Server and topic, e.g. https://ntfy.example.com/builds; '' disables ntfy. */
  url: string
  /** Bearer token, or user:password for basic auth; '' for none. */
  token: string
  on: NtfyOn
  /** 1..5 or min/low/default/high/urgent; '' = default (high for failures). */
  priority: string
}

export interface Config {
  /** Image names without tag, lowercased: ghcr.io/owner/repo. */
  images: string[]
  /** Parsed `tags` rules; empty = the default strategy of DESIGN.md. */
  tagRules: TagRule[]
  flavor: Flavor
  /** Extra labels, KEY=VALUE lines. */
  labels: string[]
  /** Extra annotations, KEY=VALUE lines (optionally prefixed manifest:, index: ...). */
  annotations: string[]
  context: string
  /** Dockerfile path, '' = buildx default (<context>/Dockerfile). */
  file: string
  target: string
  /** KEY=VALUE lines. */
  buildArgs: string[]
  /** BuildKit secrets, id=VALUE lines (never build args). */
  secrets: string[]
  /** e.g. linux/amd64, linux/arm64; empty = the builder's default. */
  platforms: string[]
  push: PushMode
  /** Remote BuildKit nodes; empty = build on the runner. */
  buildkitHosts: BuildkitNode[]
  tls: BuildkitTls
  connectTimeoutMs: number
  fallback: boolean
  /** Registry host to log in to, e.g. ghcr.io (default: the first image's registry). */
  registry: string
  username: string
  password: string
  cacheFrom: string[]
  cacheTo: string[]
  /** Raw buildx --provenance value, '' = buildx default. */
  provenance: string
  /** Raw buildx --sbom value, '' = buildx default. */
  sbom: string
  /** e.g. prod: adds prod-<version> on releases. */
  environment: string
  ntfy: NtfyConfig
  summary: boolean
  dryRun: boolean
}

// ---------------------------------------------------------------------------
// Parsing. parseConfig is pure: it sees inputs only through getInput (raw,
// trimmed, '' when unset) and the environment only through env. It collects
// every problem before failing, so one run shows all of them.

/** Thrown by parseConfig; `problems` holds one message per bad input, each naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `Invalid inputs:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'ConfigError'
  }
}

/** Where validators report; errors fail the run, notices are shown and the run goes on. */
interface Sink {
  errors: string[]
  notices: string[]
}

const bad = (input: string, text: string): string => `Input "${input}": ${text}`

/** Builds a message for one input; buildkit-host also says when its value came from BUILDKIT_HOST. */
type Say = (text: string) => string

export function parseConfig(
  getInput: (name: string) => string,
  env: Record<string, string | undefined>
): {config: Config; notices: string[]} {
  const sink: Sink = {errors: [], notices: []}
  const list = (name: string, comma: boolean, comments = false): string[] =>
    splitList(getInput(name), {comma, comments})

  const images = parseImages(list('images', true, true), env.GITHUB_REPOSITORY ?? '', sink)
  const buildkitHosts = parseBuildkitHosts(getInput('buildkit-host'), env.BUILDKIT_HOST ?? '', sink)
  const tls = parseTls(getInput, buildkitHosts.length > 0, sink)
  const ntfy = parseNtfy(getInput, sink)
  const config: Config = {
    images,
    tagRules: attempt(() => parseTagRules(list('tags', false, true)), [], sink),
    flavor: attempt(() => parseFlavor(list('flavor', false, true)), defaultFlavor(), sink),
    labels: checkKeyValues('labels', list('labels', false, true), sink),
    annotations: checkKeyValues('annotations', list('annotations', false, true), sink),
    context: getInput('context') || '.',
    file: getInput('file'),
    target: getInput('target'),
    buildArgs: checkBuildArgs(list('build-args', false), sink),
    secrets: checkSecrets(list('secrets', false), sink),
    platforms: parsePlatforms(list('platforms', true), sink, text => bad('platforms', text)),
    push: parsePush(getInput('push'), sink),
    buildkitHosts,
    tls,
    connectTimeoutMs: parseTimeout(getInput('connect-timeout'), sink),
    fallback: parseBool('fallback', getInput('fallback'), true, sink),
    registry: getInput('registry') || registryOf(images[0] ?? ''),
    username: getInput('username') || (env.GITHUB_ACTOR ?? ''),
    password: getInput('password'),
    cacheFrom: list('cache-from', false),
    cacheTo: list('cache-to', false),
    provenance: getInput('provenance'),
    sbom: getInput('sbom'),
    environment: checkEnvironment(getInput('environment'), sink),
    ntfy,
    summary: parseBool('summary', getInput('summary'), true, sink),
    dryRun: parseBool('dry-run', getInput('dry-run'), false, sink)
  }
  if (sink.errors.length > 0) throw new ConfigError(sink.errors)
  return {config, notices: sink.notices}
}

/** The thin reader: the only place that touches @actions/core and process.env. */
export function readConfig(): {config: Config; notices: string[]; secrets: string[]} {
  // Masked before parsing, so not even an error message can show them.
  const secrets = secretValues(name => core.getInput(name))
  secrets.forEach(s => core.setSecret(s))
  return {...parseConfig(name => core.getInput(name), process.env), secrets}
}

/** Inputs whose whole value is secret (buildkit-tls-key only as PEM text, not as a path). */
const SECRET_INPUTS = ['password', 'ntfy-token']

/**
 * Every secret value among the inputs, to mask before anything can print it:
 * whole values, each line of multi-line ones (PEM keys), the password half of
 * ntfy's user:password, and the values of `secrets` lines.
 */
export function secretValues(getInput: (name: string) => string): string[] {
  const values = SECRET_INPUTS.map(getInput)
  const tlsKey = getInput('buildkit-tls-key')
  if (tlsKey.startsWith('-----BEGIN')) values.push(tlsKey)
  const token = getInput('ntfy-token')
  if (token.includes(':')) values.push(token.slice(token.indexOf(':') + 1))
  for (const line of splitList(getInput('secrets'), {comma: false, comments: false})) {
    values.push(line.slice(line.indexOf('=') + 1))
  }
  const lines = values.flatMap(v => v.split('\n').map(l => l.trim()))
  const pemArmor = /^-----(BEGIN|END) [A-Z ]+-----$/
  return [...new Set([...values, ...lines])].filter(v => v.length >= 4 && !pemArmor.test(v))
}

/** Run a parser that throws (tag rules, flavor: their messages already name the input). */
function attempt<T>(fn: () => T, fallback: T, sink: Sink): T {
  try {
    return fn()
  } catch (error) {
    sink.errors.push(error instanceof Error ? error.message : String(error))
    return fallback
  }
}

// --- images ------------------------------------------------------------------

// The distribution reference grammar (github.com/distribution/reference), name part only.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/
const IPV6 = /^\[[0-9a-f:.]+\]$/
const IMAGE_EXAMPLE = 'e.g. ghcr.io/owner/app'

function parseImages(items: string[], repository: string, sink: Sink): string[] {
  if (items.length === 0) {
    if (!repository) {
      sink.errors.push(
        bad(
          'images',
          `no image given and GITHUB_REPOSITORY is not set; set images, ${IMAGE_EXAMPLE}`
        )
      )
      return []
    }
    // The default is lowercased silently: GitHub owners and repos are often mixed case.
    const name = `ghcr.io/${repository.toLowerCase()}`
    const problem = imageProblem(name)
    if (problem)
      sink.errors.push(
        bad('images', `the default image "${name}" ${problem}; set images explicitly`)
      )
    return [name]
  }
  const names: string[] = []
  for (const item of items) {
    const name = checkImage(item, sink)
    if (name && !names.includes(name)) names.push(name)
  }
  return names
}

function checkImage(item: string, sink: Sink): string {
  const name = item.toLowerCase()
  const problem = formProblem(item) || imageProblem(name)
  if (problem) {
    sink.errors.push(bad('images', `"${item}" ${problem}`))
    return ''
  }
  if (name !== item) {
    sink.notices.push(
      bad('images', `"${item}" lowered to "${name}" (image names must be lowercase)`)
    )
  }
  return name
}

/** Mistakes of form, caught before the name grammar so the message can say what was meant. */
function formProblem(item: string): string {
  if (/\s/.test(item)) {
    return 'contains whitespace; give one image per line or separate them with commas'
  }
  if (item.includes('@')) return `has a digest; give the name only, ${IMAGE_EXAMPLE}`
  if (item.includes('=')) {
    return `is not an image name; images takes plain names (${IMAGE_EXAMPLE}), not metadata-action's name=...,enable=... form`
  }
  return ''
}

/** What is wrong with a lowercase image name, '' when it is fine. */
function imageProblem(name: string): string {
  if (name.length > 255) return 'is longer than 255 characters'
  const parts = name.split('/')
  if (parts.some(p => p === '')) {
    return `has an empty path component (a leading, trailing or double "/"); ${IMAGE_EXAMPLE}`
  }
  const [domain, path] = splitDomain(parts)
  const last = path[path.length - 1]
  if (last.includes(':')) {
    return `has a tag (":${last.split(':')[1]}"); give the name only, the tags come from the "tags" input`
  }
  if (domain && !validDomain(domain)) return `has an invalid registry host "${domain}"`
  const wrong = path.find(p => !PATH_COMPONENT.test(p))
  if (wrong !== undefined) {
    return `has an invalid path component "${wrong}": use lowercase letters and digits, separated by ".", "_", "__" or "-"`
  }
  return ''
}

/** Split off the registry host the way docker does: a first part with "." or ":", or localhost. */
function splitDomain(parts: string[]): [string, string[]] {
  const first = parts[0]
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return [first, parts.slice(1)]
  }
  return ['', parts]
}

function validDomain(domain: string): boolean {
  const m = /^(.*?)(?::(\d+))?$/.exec(domain)
  if (!m) return false
  const [, host, port] = m
  if (port !== undefined && !validPort(port)) return false
  return DOMAIN_NAME.test(host) || IPV6.test(host)
}

function validPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535
}

/** The registry host of an image: ghcr.io, docker.io for bare names, 127.0.0.1:5000, ... */
export function registryOf(image: string): string {
  if (!image) return ''
  const [domain] = splitDomain(image.split('/'))
  return domain || 'docker.io'
}

// --- platforms ---------------------------------------------------------------

// Platforms BuildKit builds for (containerd's os/arch/variant names). darwin
// and freebsd are there for cross-compiling to local outputs.
export const KNOWN_PLATFORMS = [
  'linux/amd64',
  'linux/amd64/v2',
  'linux/amd64/v3',
  'linux/amd64/v4',
  'linux/arm64',
  'linux/arm64/v8',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/arm/v5',
  'linux/arm',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
  'linux/mips64',
  'linux/loong64',
  'windows/amd64',
  'windows/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'freebsd/amd64',
  'freebsd/arm64'
]

function parsePlatforms(items: string[], sink: Sink, say: Say): string[] {
  const platforms: string[] = []
  for (const item of items) {
    const platform = item.toLowerCase()
    if (!KNOWN_PLATFORMS.includes(platform)) {
      sink.errors.push(say(unknownPlatform(item)))
    } else if (!platforms.includes(platform)) {
      platforms.push(platform)
    }
  }
  return platforms
}

function unknownPlatform(item: string): string {
  const near = closest(item.toLowerCase(), KNOWN_PLATFORMS)
  const hint = near ? `did you mean ${near}? ` : ''
  return `"${item}" is not a known platform; ${hint}use os/arch[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7`
}

/** The candidate within edit distance 3 of `word`, '' when none is that close. */
function closest(word: string, candidates: string[]): string {
  let best = ''
  let bestDistance = 4
  for (const c of candidates) {
    const d = editDistance(word, c)
    if (d < bestDistance) [best, bestDistance] = [c, d]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

/** Two spellings of one platform (linux/arm64/v8 is linux/arm64) count as the same node claim. */
function canonicalPlatform(p: string): string {
  if (p === 'linux/arm64/v8') return 'linux/arm64'
  if (p === 'linux/arm') return 'linux/arm/v7'
  return p
}

// --- push and booleans -------------------------------------------------------

function parsePush(raw: string, sink: Sink): PushMode {
  const value = raw.toLowerCase()
  if (value === '' || value === 'auto') return 'auto'
  if (value === 'true' || value === 'false') return value === 'true'
  sink.errors.push(
    bad(
      'push',
      `"${raw}" is not allowed; use auto (push except for pull requests from forks), true or false`
    )
  )
  return 'auto'
}

function parseBool(input: string, raw: string, fallback: boolean, sink: Sink): boolean {
  const value = raw.toLowerCase()
  if (value === '') return fallback
  if (value === 'true' || value === 'false') return value === 'true'
  sink.errors.push(bad(input, `"${raw}" is not a boolean; use true or false`))
  return fallback
}

// --- BuildKit hosts ----------------------------------------------------------

const ENDPOINT_FORMS =
  'tcp://host:port, unix:///path/to/buildkitd.sock, ssh://user@host, docker-container://name, kube-pod://name or npipe:////./pipe/name'

/** One endpoint per line, each optionally followed by its platforms (spaces or commas). */
function parseBuildkitHosts(raw: string, envHost: string, sink: Sink): BuildkitNode[] {
  const from = raw ? '' : ' (from BUILDKIT_HOST)'
  const say: Say = text => `Input "buildkit-host"${from}: ${text}`
  const lines = splitList(raw || envHost, {comma: false, comments: true})
  const nodes: BuildkitNode[] = []
  const owner = new Map<string, string>()
  for (const line of lines) {
    const [endpoint, ...rest] = line.split(/[\s,]+/).filter(Boolean)
    const problem = endpointProblem(endpoint)
    if (problem) sink.errors.push(say(`"${endpoint}" ${problem}`))
    if (nodes.some(n => n.endpoint === endpoint)) {
      sink.errors.push(
        say(`"${endpoint}" is listed twice; give each host once, with all its platforms`)
      )
      continue
    }
    const platforms = parsePlatforms(rest, sink, say)
    for (const p of platforms) {
      const other = owner.get(canonicalPlatform(p))
      if (other) {
        sink.errors.push(
          say(`${p} is on both ${other} and ${endpoint}; give each platform to one host`)
        )
      }
      owner.set(canonicalPlatform(p), endpoint)
    }
    nodes.push({endpoint, platforms})
  }
  return nodes
}

/** What is wrong with a BuildKit endpoint, '' when buildx's remote driver can use it. */
export function endpointProblem(endpoint: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(endpoint)
  const expected = `; use ${ENDPOINT_FORMS}`
  if (!m) return `is not a BuildKit endpoint${expected}`
  const [, scheme, rest] = m
  switch (scheme.toLowerCase()) {
    case 'tcp':
      return hostPortProblem(rest, true)
    case 'ssh':
      return hostPortProblem(rest.replace(/^[^@/]+@/, ''), false)
    case 'unix':
      return rest.startsWith('/') && rest.length > 1
        ? ''
        : `needs an absolute socket path, e.g. unix:///run/buildkit/buildkitd.sock`
    case 'docker-container':
    case 'kube-pod':
    case 'npipe':
      return rest ? '' : `names no ${scheme} target${expected}`
    case 'http':
    case 'https':
    case 'grpc':
      return `uses ${scheme}://, but BuildKit is reached over tcp:// (gRPC); write tcp://${rest}`
    case 'ssl':
    case 'tls':
      return `uses ${scheme}://, which buildx does not know; write tcp://${rest} and give buildkit-tls-ca (and -cert/-key)`
    default:
      return `has an unknown scheme "${scheme}"${expected}`
  }
}

function hostPortProblem(hostPort: string, portRequired: boolean): string {
  if (hostPort.includes('/'))
    return `has a path; give host:port only, e.g. tcp://buildkit.example.com:1234`
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)
  if (!m || !m[1]) return `needs a host; use e.g. tcp://buildkit.example.com:1234`
  const [, host, port] = m
  // Hostnames as resolvers accept them (compose-style names may hold "_").
  if (!(/^[A-Za-z0-9_.-]+$/.test(host) || IPV6.test(host.toLowerCase()))) {
    return `has an invalid host "${host}"`
  }
  if (port === undefined) {
    return portRequired
      ? `has no port; BuildKit has no default port, write e.g. tcp://${host}:1234`
      : ''
  }
  if (!/^\d+$/.test(port)) return `has an invalid port "${port}"; use a number 1-65535`
  if (!validPort(port)) return `has port ${port}, outside 1-65535`
  return ''
}

// --- TLS ---------------------------------------------------------------------

function parseTls(getInput: (name: string) => string, haveHost: boolean, sink: Sink): BuildkitTls {
  const tls = {
    ca: getInput('buildkit-tls-ca'),
    cert: getInput('buildkit-tls-cert'),
    key: getInput('buildkit-tls-key')
  }
  checkPemOrPath('buildkit-tls-ca', tls.ca, sink)
  checkPemOrPath('buildkit-tls-cert', tls.cert, sink)
  checkPemOrPath('buildkit-tls-key', tls.key, sink)
  if (tls.cert && !tls.key)
    sink.errors.push(
      bad('buildkit-tls-cert', 'is given without buildkit-tls-key; give both or neither')
    )
  if (tls.key && !tls.cert)
    sink.errors.push(
      bad('buildkit-tls-key', 'is given without buildkit-tls-cert; give both or neither')
    )
  // buildx's remote driver refuses TLS without a CA ("tls enabled, but missing keys cacert").
  if ((tls.cert || tls.key) && !tls.ca) {
    sink.errors.push(
      bad(
        'buildkit-tls-ca',
        'is required with a client certificate; give the CA that signed the BuildKit server certificate'
      )
    )
  }
  // A notice, not an error: with no host the action builds on the runner, as
  // documented, and org-wide TLS secrets next to an unset BUILDKIT_HOST are normal.
  if (!haveHost && (tls.ca || tls.cert || tls.key)) {
    sink.notices.push(
      'buildkit-tls-* inputs are set but no buildkit-host is given; they are ignored and the image is built on the runner'
    )
  }
  return tls
}

/** PEM text starts with -----BEGIN; anything else must look like a single-line path. */
function checkPemOrPath(input: string, value: string, sink: Sink): void {
  if (!value) return
  if (value.startsWith('-----BEGIN')) {
    if (!/-----END [^-]+-----\s*$/.test(value)) {
      sink.errors.push(bad(input, 'PEM text has no -----END ...----- line; paste the whole block'))
    }
  } else if (/[\r\n]/.test(value)) {
    // Never echo the value: it may be a private key.
    sink.errors.push(bad(input, 'is neither PEM text (starting with -----BEGIN) nor a file path'))
  }
}

// --- timeout, environment, key=value lists ----------------------------------

function parseTimeout(raw: string, sink: Sink): number {
  if (raw === '') return 5000
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/i.exec(raw)
  const ms = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'ms' ? 1 : 1000) : NaN
  if (!(ms > 0)) {
    sink.errors.push(
      bad('connect-timeout', `"${raw}" is not a timeout; give seconds above 0, e.g. 5, 2.5 or 10s`)
    )
    return 5000
  }
  return Math.round(ms)
}

function checkEnvironment(raw: string, sink: Sink): string {
  // It becomes a tag prefix (prod-v1.2.3), so it must be tag-safe.
  if (raw && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(raw)) {
    sink.errors.push(
      bad(
        'environment',
        `"${raw}" cannot start an image tag; use letters, digits, ".", "_" and "-", e.g. prod`
      )
    )
  }
  return raw
}

function checkKeyValues(input: string, items: string[], sink: Sink): string[] {
  for (const item of items) {
    const eq = item.indexOf('=')
    if (eq <= 0) {
      sink.errors.push(
        bad(
          input,
          `"${item}" is not KEY=VALUE; write one per line, e.g. org.opencontainers.image.vendor=ACME`
        )
      )
    }
  }
  return items
}

function checkBuildArgs(items: string[], sink: Sink): string[] {
  items.forEach((item, i) => {
    // Values are not quoted in the message: build args sometimes carry secrets by mistake.
    // A bare NAME is refused too: buildx would copy the runner's variable of that name.
    if (item.indexOf('=') <= 0) {
      sink.errors.push(
        bad('build-args', `entry ${i + 1} is not NAME=VALUE; write NAME=VALUE, one per line`)
      )
    }
  })
  return items
}

function checkSecrets(items: string[], sink: Sink): string[] {
  items.forEach((item, i) => {
    // An empty value is fine: secrets resolve to '' on pull requests from forks.
    if (!/^[A-Za-z0-9_.-]+=/.test(item)) {
      sink.errors.push(
        bad(
          'secrets',
          `entry ${i + 1} is not ID=VALUE; write e.g. NPM_TOKEN=\${{ secrets.NPM_TOKEN }}, one per line (quote multi-line values)`
        )
      )
    }
  })
  return items
}

// --- ntfy --------------------------------------------------------------------

const NTFY_ON = ['success', 'failure', 'always', 'never']
const NTFY_PRIORITIES = ['1', '2', '3', '4', '5', 'min', 'low', 'default', 'high', 'urgent', 'max']

function parseNtfy(getInput: (name: string) => string, sink: Sink): NtfyConfig {
  const url = checkNtfyUrl(getInput('ntfy-url'), sink)
  const onRaw = getInput('ntfy-on')
  let on: NtfyOn = url ? 'always' : 'never'
  if (onRaw) {
    if (NTFY_ON.includes(onRaw.toLowerCase())) on = onRaw.toLowerCase() as NtfyOn
    else sink.errors.push(bad('ntfy-on', `"${onRaw}" is not allowed; use ${NTFY_ON.join(', ')}`))
  }
  if (!url && on !== 'never') {
    sink.notices.push('ntfy-on is set but ntfy-url is empty; no notification is sent')
    on = 'never'
  }
  const priority = getInput('ntfy-priority').toLowerCase()
  if (priority && !NTFY_PRIORITIES.includes(priority)) {
    sink.errors.push(
      bad(
        'ntfy-priority',
        `"${getInput('ntfy-priority')}" is not a priority; use 1-5 or min, low, default, high, urgent`
      )
    )
  }
  return {url, token: getInput('ntfy-token'), on, priority}
}

function checkNtfyUrl(raw: string, sink: Sink): string {
  if (!raw) return ''
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  const path = url?.pathname.replace(/\/+$/, '') ?? ''
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    path === '' ||
    url.search ||
    url.hash
  ) {
    sink.errors.push(
      bad(
        'ntfy-url',
        `"${raw}" is not an ntfy topic URL; use http(s)://server/topic, e.g. https://ntfy.sh/my-builds`
      )
    )
    return ''
  }
  return raw.replace(/\/+$/, '')
}
