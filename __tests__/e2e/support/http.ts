// Small network helpers on node:http/https/net (fetch cannot take a custom
// CA or a unix socket without extra packages).
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'

export interface HttpOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** PEM text of a CA to trust (https only), e.g. readFileSync(stack.authRegistryCa). */
  ca?: string | Buffer
  /** Basic auth, "user:password". */
  auth?: string
  /** Talk HTTP over this unix socket (the URL's host is then ignored). */
  socketPath?: string
  timeoutMs?: number
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  text(): string
  json<T = unknown>(): T
}

/** One HTTP(S) request; resolves for every status, rejects on network errors. */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const target = new URL(url)
  const client = target.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        auth: options.auth,
        socketPath: options.socketPath,
        ...(options.ca ? {ca: options.ca} : {}),
        timeout: options.timeoutMs ?? 30000
      },
      res => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString('utf8'),
            json: <T>() => JSON.parse(body.toString('utf8')) as T
          })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${url}: timed out`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

export type ConnectOutcome = 'connected' | 'refused' | 'timeout'

/**
 * Opens a TCP connection to tcp://host:port (or host:port) and closes it:
 * 'connected', 'refused' (nothing listens), or 'timeout' (packets dropped, as
 * at the stack's blackhole endpoint).
 */
export function tcpConnect(endpoint: string, timeoutMs = 2000): Promise<ConnectOutcome> {
  const {hostname, port} = new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`)
  return new Promise((resolve, reject) => {
    const socket = net.connect({host: hostname, port: Number(port)})
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('timeout')
    }, timeoutMs)
    socket.on('connect', () => {
      clearTimeout(timer)
      socket.destroy()
      resolve('connected')
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      if (err.code === 'ECONNREFUSED') resolve('refused')
      else reject(err)
    })
  })
}
