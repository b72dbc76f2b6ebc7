// Is the BuildKit endpoint there at all? A plain connect (a TLS handshake
// when TLS is configured) with our own timeout, because buildx's remote driver
// takes 20 s to give up on a refusing host, 40 s on one that drops packets,
// and reports a failed TLS handshake only as "context deadline exceeded".
import {connect, isIP, type Socket} from 'node:net'
import {connect as tlsConnect} from 'node:tls'

/** PEM text of the TLS material the remote builder will use. */
export interface ProbeTls {
  ca: string
  cert: string
  key: string
}

export interface ProbeResult {
  ok: boolean
  /** Why not, in words for a warning: "connection refused", "no answer within 5 s". */
  reason: string
  ms: number
}

/** Where a socket endpoint connects; undefined for schemes we cannot probe (docker-container://, kube-pod://). */
export function socketTarget(
  endpoint: string
): {host: string; port: number} | {path: string} | undefined {
  const url = /^(tcp|ssl|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d+)/.exec(endpoint)
  if (url) return {host: url[2].replace(/^\[|\]$/g, ''), port: Number(url[3])}
  if (endpoint.startsWith('unix://')) return {path: endpoint.slice('unix://'.length)}
  return undefined
}

export function probeEndpoint(
  endpoint: string,
  timeoutMs: number,
  tls?: ProbeTls
): Promise<ProbeResult> {
  const target = socketTarget(endpoint)
  const started = Date.now()
  if (!target) return Promise.resolve({ok: true, reason: '', ms: 0})
  const handshake = tls && 'host' in target
  return new Promise(resolve => {
    const socket: Socket = handshake
      ? tlsConnect({...target, ...tlsOptions(tls, target.host)})
      : connect(target as {host: string; port: number})
    const done = (ok: boolean, reason: string): void => {
      socket.destroy()
      resolve({ok, reason, ms: Date.now() - started})
    }
    socket.setTimeout(timeoutMs, () =>
      done(false, `no answer within ${timeoutMs / 1000} s (connect-timeout)`)
    )
    socket.once(handshake ? 'secureConnect' : 'connect', () => done(true, ''))
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done(false, handshake && !CONNECT_ERRORS[e.code ?? ''] ? tlsError(e) : connectError(e))
    )
  })
}

function tlsOptions(tls: ProbeTls, host: string): object {
  return {
    ca: tls.ca || undefined,
    cert: tls.cert || undefined,
    key: tls.key || undefined,
    // BuildKit speaks gRPC over HTTP/2; SNI is for names only, never IPs.
    ALPNProtocols: ['h2'],
    servername: isIP(host) ? undefined : host
  }
}

function tlsError(e: Error): string {
  return `TLS handshake failed (${e.message}); check buildkit-tls-ca, buildkit-tls-cert and buildkit-tls-key`
}

/** Errors of reaching the host at all, in words; anything else during a handshake is TLS. */
const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOENT: 'socket does not exist',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EACCES: 'permission denied'
}

function connectError(e: NodeJS.ErrnoException): string {
  return CONNECT_ERRORS[e.code ?? ''] ?? e.message
}
