// Is the BuildKit endpoint there at all? A plain connect with our own timeout,
// because buildx's remote driver takes 20 s to give up on a refusing host and
// 40 s on one that drops packets.
import {connect, type Socket} from 'node:net'

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

export function probeEndpoint(endpoint: string, timeoutMs: number): Promise<ProbeResult> {
  const target = socketTarget(endpoint)
  const started = Date.now()
  if (!target) return Promise.resolve({ok: true, reason: '', ms: 0})
  return new Promise(resolve => {
    const socket: Socket = connect(target as {host: string; port: number})
    const done = (ok: boolean, reason: string): void => {
      socket.destroy()
      resolve({ok, reason, ms: Date.now() - started})
    }
    socket.setTimeout(timeoutMs, () =>
      done(false, `no answer within ${timeoutMs / 1000} s (connect-timeout)`)
    )
    socket.once('connect', () => done(true, ''))
    socket.once('error', (e: NodeJS.ErrnoException) => done(false, connectError(e)))
  })
}

function connectError(e: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOENT: 'socket does not exist',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host name not found',
    EACCES: 'permission denied'
  }
  return words[e.code ?? ''] ?? e.message
}
