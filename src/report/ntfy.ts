// ntfy notifications: a pure message builder (ntfy's HTTP header conventions,
// docs.ntfy.sh/publish) and a sender for which a lost message is a warning,
// never a failed build.
import type {NtfyConfig} from '../config.js'
import type {GitContext} from '../context.js'
import {redact} from './redact.js'
import {builderSummary, failureLabel, formatDuration, isFallback, packageUrl} from './summary.js'
import type {RunReport} from './types.js'

export interface NtfyRequest {
  url: string
  method: 'POST'
  /** Title, Tags, Priority, Markdown, and when known Click, Actions, Authorization. */
  headers: Record<string, string>
  /** Markdown. */
  body: string
}

/** ntfy turns a message over 4096 bytes into an attachment (or refuses it): stay below. */
const MAX_BODY_BYTES = 3800
/** The error text a failure message shows at most (bytes, so the code block always closes). */
const MAX_ERROR_BYTES = 1500

/** The request to send for this run, or undefined when ntfy-on says no (or there is no URL). */
export function ntfyMessage(
  report: RunReport,
  ntfy: NtfyConfig,
  secrets: string[]
): NtfyRequest | undefined {
  if (!ntfy.url || !wanted(ntfy.on, report.ok)) return undefined
  const {url, userinfo} = splitCredentials(ntfy.url)
  const clean = (s: string): string => redact(s, secrets)
  const headers: Record<string, string> = {
    Title: headerValue(clean(title(report))),
    Tags: tags(report).join(','),
    Priority: ntfy.priority || (report.ok ? 'default' : 'high'),
    Markdown: 'yes'
  }
  const runUrl = report.ctx?.runUrl ?? ''
  if (runUrl) headers.Click = headerValue(clean(runUrl))
  const actions = actionsHeader(report)
  if (actions) headers.Actions = headerValue(clean(actions))
  const auth = authorization(ntfy.token || userinfo)
  if (auth) headers.Authorization = auth
  return {url, method: 'POST', headers, body: truncateBytes(clean(body(report)), MAX_BODY_BYTES)}
}

function wanted(on: NtfyConfig['on'], ok: boolean): boolean {
  return on === 'always' || (on === 'success' && ok) || (on === 'failure' && !ok)
}

// --- headers -----------------------------------------------------------------

/** "owner/repo v1.2.3: built and pushed", "owner/repo PR #42: build failed (Dockerfile)". */
function title(r: RunReport): string {
  const where = [
    r.ctx?.repository.owner && `${r.ctx.repository.owner}/${r.ctx.repository.name}`,
    refLabel(r.ctx)
  ]
    .filter(Boolean)
    .join(' ')
  return `${where || 'k8s-build-action'}: ${result(r)}`
}

function refLabel(ctx: GitContext | undefined): string {
  if (!ctx) return ''
  if (ctx.prNumber) return `PR #${ctx.prNumber}`
  return ctx.tag || ctx.branch || ctx.ref || ctx.sha.slice(0, 7)
}

function result(r: RunReport): string {
  if (!r.ok) return `build failed (${failureLabel(r.failure?.kind ?? 'internal')})`
  if (r.dryRun) return 'dry run ok'
  if (r.pushed.length > 0) return 'built and pushed'
  return `built, not pushed (${r.notPushedReason || 'no push'})`
}

/** Emoji tags first (ntfy shows them before the title), then plain ones to filter by. */
function tags(r: RunReport): string[] {
  if (!r.ok) return ['x', r.failure?.kind ?? 'internal']
  const fallback = isFallback(r.builder)
  return ['white_check_mark', ...(fallback ? ['warning'] : []), ...(r.dryRun ? ['dry-run'] : [])]
}

/** "view, View run, URL; view, Open package, URL" (ntfy's short action format, at most 3). */
function actionsHeader(r: RunReport): string {
  const actions: [string, string][] = []
  if (r.ctx?.runUrl) actions.push(['View run', r.ctx.runUrl])
  const pkg = r.ok && r.pushed.length > 0 ? packageUrl(r.pushed[0], r.ctx) : ''
  if (pkg) actions.push(['Open package', pkg])
  return actions
    .map(([label, url]) => `view, ${actionValue(label)}, ${actionValue(url)}`)
    .join('; ')
}

/** ntfy splits actions on ";" and fields on ","; a value holding either is quoted. */
function actionValue(value: string): string {
  if (!/[,;]/.test(value)) return value
  return value.includes('"') ? `'${value}'` : `"${value}"`
}

/** ntfy-token: user:password is basic auth, anything else a bearer token. */
function authorization(token: string): string {
  const t = token.replace(/^Bearer\s+/i, '')
  if (!t) return ''
  if (t.includes(':')) return `Basic ${Buffer.from(t, 'utf8').toString('base64')}`
  return `Bearer ${t}`
}

/** fetch refuses URLs with user:password@; ntfy takes them as basic auth instead. */
function splitCredentials(raw: string): {url: string; userinfo: string} {
  const url = new URL(raw)
  if (!url.username && !url.password) return {url: raw, userinfo: ''}
  const userinfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
  url.username = ''
  url.password = ''
  return {url: url.toString(), userinfo}
}

/**
 * A header value as ntfy reads it. HTTP header values are bytes (fetch refuses
 * anything above U+00FF, and Latin-1 bytes are not the UTF-8 ntfy expects), so
 * any non-ASCII value is sent RFC 2047-encoded (=?UTF-8?B?...?=), which ntfy
 * decodes for every header. Encoded words are kept to RFC 2047's 75 characters
 * and split on character boundaries; the decoder joins adjacent words.
 */
export function headerValue(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ')
  if (/^[\x20-\x7e\t]*$/.test(oneLine)) return oneLine
  const words: string[] = []
  let chunk = ''
  for (const ch of oneLine) {
    const next = chunk + ch
    // =?UTF-8?B?<base64>?= : 12 characters of framing, 4 base64 characters per 3 bytes.
    if (chunk && 12 + Math.ceil(Buffer.byteLength(next, 'utf8') / 3) * 4 > 75) {
      words.push(encodedWord(chunk))
      chunk = ch
    } else {
      chunk = next
    }
  }
  if (chunk) words.push(encodedWord(chunk))
  return words.join(' ')
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`
}

// --- body ----------------------------------------------------------------------

function body(r: RunReport): string {
  return r.ok ? successBody(r) : failureBody(r)
}

function successBody(r: RunReport): string {
  const refs = r.pushed.length > 0 ? r.pushed : (r.meta?.refs ?? [])
  const lines: string[] = []
  if (r.dryRun) lines.push('Dry run: nothing built or pushed.', '')
  if (refs.length > 0) {
    const more = refs.length > 1 ? ` (+${refs.length - 1} more)` : ''
    lines.push(`- **Image:** ${code(refs[0])}${more}`)
  }
  if (!r.dryRun && r.pushed.length === 0 && r.notPushedReason) {
    lines.push(`- **Not pushed:** ${r.notPushedReason}`)
  }
  if (r.digest) lines.push(`- **Digest:** ${code(r.digest)}`)
  return [...lines, ...commonLines(r)].join('\n')
}

function failureBody(r: RunReport): string {
  const f = r.failure
  const where = f?.file ? ` at ${code(f.line ? `${f.file}:${f.line}` : f.file)}` : ''
  const message = truncateBytes(f?.message ?? 'the run failed without an error', MAX_ERROR_BYTES)
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(message) + 1))
  return [
    `**Build failed: ${failureLabel(f?.kind ?? 'internal')}**${where}`,
    '',
    `${fence}\n${message}\n${fence}`,
    '',
    ...commonLines(r)
  ].join('\n')
}

function commonLines(r: RunReport): string[] {
  const lines: string[] = []
  const builder = builderSummary(r.builder)
  if (builder) lines.push(`- **Builder:** ${builder}`)
  if (r.platforms.length > 0) lines.push(`- **Platforms:** ${r.platforms.join(', ')}`)
  lines.push(`- **Duration:** ${formatDuration(r.durationMs)}`)
  return lines
}

function code(s: string): string {
  const ticks = '`'.repeat(longestBacktickRun(s) + 1)
  return `${ticks}${s}${ticks}`
}

function longestBacktickRun(s: string): number {
  return Math.max(0, ...(s.match(/`+/g) ?? []).map(run => run.length))
}

function truncateChars(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`
}

/** Cut to at most max UTF-8 bytes, on a character boundary. */
function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const size = Buffer.byteLength(ch, 'utf8')
    if (bytes + size > max - 3) break
    out += ch
    bytes += size
  }
  return `${out}…`
}

// --- sending -------------------------------------------------------------------

interface Attempt {
  ok: boolean
  problem: string
  /** Worth a second try: the server was down, slow or overloaded, not refusing us. */
  retry: boolean
}

/**
 * Posts the message, tries once more if the first attempt failed for a
 * reason that may pass (no answer, 5xx, 429), and warns when it was not
 * delivered. A 4xx such as 401 or 403 is not retried: the same request would
 * be refused again. Warnings name the server only: the topic acts as a
 * password on ntfy, and the token never appears.
 */
export async function sendNtfy(
  req: NtfyRequest,
  warn: (message: string) => void,
  timeoutMs = 5000
): Promise<boolean> {
  let attempt = await post(req, timeoutMs)
  if (!attempt.ok && attempt.retry) attempt = await post(req, timeoutMs)
  if (attempt.ok) return true
  const problem = redact(attempt.problem, credentials(req))
  warn(
    `ntfy notification to ${serverOf(req.url)} was not delivered: ${problem}. The build result is not affected.`
  )
  return false
}

async function post(req: NtfyRequest, timeoutMs: number): Promise<Attempt> {
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs)
    })
    if (res.ok) {
      await res.body?.cancel()
      return {ok: true, problem: '', retry: false}
    }
    const detail = await errorDetail(res)
    const retry = res.status >= 500 || res.status === 429 || res.status === 408
    return {ok: false, problem: `HTTP ${res.status}${detail ? ` (${detail})` : ''}`, retry}
  } catch (error) {
    return {ok: false, problem: fetchProblem(error, timeoutMs), retry: true}
  }
}

/** ntfy answers errors as JSON {"code":40101,"http":401,"error":"unauthorized",...}. */
async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => '')
  try {
    const json = JSON.parse(text) as {error?: unknown}
    if (typeof json.error === 'string') return json.error
  } catch {
    // not JSON: a proxy's page, say
  }
  return truncateChars(text.replace(/\s+/g, ' ').trim(), 200)
}

function fetchProblem(error: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors may come from another realm (instanceof Error fails there).
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string
    message?: string
    cause?: {code?: string; message?: string}
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return `no answer within ${formatDuration(timeoutMs)}`
  }
  // fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in cause.
  const message = e.message ?? String(error)
  return [message, e.cause?.code ?? e.cause?.message].filter(Boolean).join(': ')
}

function serverOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'the ntfy server'
  }
}

/** The Authorization header's secret parts, to keep them out of warnings. */
function credentials(req: NtfyRequest): string[] {
  const auth = req.headers.Authorization ?? ''
  const token = auth.replace(/^(Bearer|Basic) /, '')
  if (!auth.startsWith('Basic ')) return [auth, token]
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  return [auth, token, decoded, decoded.slice(decoded.indexOf(':') + 1)]
}
