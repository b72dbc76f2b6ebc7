#!/usr/bin/env node
// A plain BuildKit endpoint in front of dockerd.
//
// dockerd serves BuildKit's gRPC API on its own socket, behind an HTTP upgrade
// (`POST /grpc` with `Upgrade: h2c`). This proxy listens on a TCP port and, for
// each client connection, opens the docker socket, performs that upgrade and
// then pipes bytes both ways. To a client (`docker buildx create --driver
// remote tcp://127.0.0.1:1234`) it looks exactly like a remote buildkitd.
//
// Killing this process is a faithful "remote BuildKit host is down"; killing it
// during a build is a faithful "connection lost during build".
//
// With --tls-cert/--tls-key/--tls-ca it is a TLS endpoint instead, like a
// buildkitd started with --tlscacert/--tlscert/--tlskey: it presents the
// server certificate, demands a client certificate signed by the CA (mutual
// TLS), and forwards the decrypted stream. It offers ALPN "h2", because the
// gRPC client in buildx refuses a TLS server that does not negotiate it.
//
// Usage: buildkit-proxy.mjs --listen 127.0.0.1:1234 --docker /path/docker.sock [--pidfile FILE]
//          [--tls-cert server.crt --tls-key server.key --tls-ca ca.crt]
// No dependencies: it must run with a bare `node`.
import net from 'node:net'
import tls from 'node:tls'
import fs from 'node:fs'

const UPGRADE_REQUEST =
  'POST /grpc HTTP/1.1\r\n' +
  'Host: docker\r\n' +
  'Connection: Upgrade\r\n' +
  'Upgrade: h2c\r\n' +
  'Content-Length: 0\r\n' +
  '\r\n'
// The longest response header we accept before giving up on the upgrade.
const MAX_HEADER_BYTES = 64 * 1024

const USAGE =
  'usage: buildkit-proxy.mjs --listen HOST:PORT --docker SOCKET [--pidfile FILE] ' +
  '[--tls-cert FILE --tls-key FILE --tls-ca FILE]'
const TLS_ARGS = ['tls-cert', 'tls-key', 'tls-ca']

function parseArgs(argv) {
  const args = {}
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]
    const value = argv[i + 1]
    if (!key?.startsWith('--') || value === undefined) {
      throw new Error(`${USAGE} (bad argument "${key}")`)
    }
    args[key.slice(2)] = value
  }
  if (!args.listen || !args.docker) throw new Error(USAGE)
  const tlsGiven = TLS_ARGS.filter(k => args[k])
  if (tlsGiven.length > 0 && tlsGiven.length < TLS_ARGS.length) {
    throw new Error(`${USAGE} (give all of --tls-cert, --tls-key and --tls-ca, or none)`)
  }
  const sep = args.listen.lastIndexOf(':')
  return {
    host: args.listen.slice(0, sep),
    port: Number(args.listen.slice(sep + 1)),
    docker: args.docker,
    pidfile: args.pidfile,
    tls:
      tlsGiven.length > 0
        ? {cert: args['tls-cert'], key: args['tls-key'], ca: args['tls-ca']}
        : undefined
  }
}

function log(message) {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`)
}

// Opens the docker socket and upgrades it to BuildKit's gRPC stream. Calls
// `done(err, upstream, rest)` once, where `rest` holds any bytes that arrived
// after the 101 response header (the start of the HTTP/2 stream).
function openUpstream(dockerSocket, done) {
  const upstream = net.createConnection(dockerSocket)
  let header = Buffer.alloc(0)
  let finished = false
  const finish = (err, rest) => {
    if (finished) return
    finished = true
    upstream.removeAllListeners('data')
    upstream.pause()
    if (err) upstream.destroy()
    done(err, upstream, rest)
  }
  upstream.on('connect', () => upstream.write(UPGRADE_REQUEST))
  upstream.on('error', err => finish(err))
  upstream.on('close', () => finish(new Error('docker socket closed before the upgrade')))
  upstream.on('data', chunk => {
    header = Buffer.concat([header, chunk])
    const end = header.indexOf('\r\n\r\n')
    if (end === -1) {
      if (header.length > MAX_HEADER_BYTES) finish(new Error('upgrade response header too long'))
      return
    }
    const statusLine = header.subarray(0, header.indexOf('\r\n')).toString()
    if (!/^HTTP\/1\.1 101\b/.test(statusLine)) {
      finish(new Error(`docker refused the /grpc upgrade: ${statusLine}`))
      return
    }
    finish(null, header.subarray(end + 4))
  })
}

function handleClient(client, dockerSocket) {
  const peer = `${client.remoteAddress}:${client.remotePort}`
  // Hold client bytes until the upstream is ready; the socket buffers them.
  client.pause()
  client.on('error', () => {})
  openUpstream(dockerSocket, (err, upstream, rest) => {
    if (err) {
      log(`${peer}: ${err.message}`)
      client.destroy()
      return
    }
    if (client.destroyed) {
      upstream.destroy()
      return
    }
    upstream.on('error', () => {})
    if (rest.length > 0) client.write(rest)
    client.pipe(upstream)
    upstream.pipe(client)
    // A half-closed or dead side ends the other, so no connection lingers.
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.resume()
    upstream.resume()
  })
}

// A plain TCP server, or a TLS one that only lets in clients whose
// certificate the CA signed; either hands each connection to handleClient.
function createServer(docker, tlsFiles) {
  if (!tlsFiles) return net.createServer(client => handleClient(client, docker))
  const server = tls.createServer(
    {
      cert: fs.readFileSync(tlsFiles.cert),
      key: fs.readFileSync(tlsFiles.key),
      ca: fs.readFileSync(tlsFiles.ca),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2']
    },
    client => handleClient(client, docker)
  )
  // A refused handshake (unknown client certificate, or a client that does
  // not trust ours) is worth a line in the log: tests provoke it on purpose.
  // A bare connect-and-close (a port probe) is not.
  server.on('tlsClientError', err => {
    if (err.code !== 'ECONNRESET') log(`TLS handshake failed: ${err.message}`)
  })
  return server
}

function main() {
  const {host, port, docker, pidfile, tls: tlsFiles} = parseArgs(process.argv.slice(2))
  const server = createServer(docker, tlsFiles)
  server.on('error', err => {
    log(`cannot listen on ${host}:${port}: ${err.message}`)
    process.exit(1)
  })
  server.listen(port, host, () => {
    // The pidfile appears only once the port accepts, so "pidfile exists"
    // means "endpoint is up" to whoever waits for it.
    if (pidfile) fs.writeFileSync(pidfile, `${process.pid}\n`)
    const how = tlsFiles ? 'TLS (client certificates required)' : 'plain TCP'
    log(`listening on ${host}:${port} (${how}), forwarding to ${docker} /grpc`)
  })
  const stop = () => {
    if (pidfile) {
      try {
        if (fs.readFileSync(pidfile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(pidfile)
      } catch {
        // already gone
      }
    }
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

try {
  main()
} catch (err) {
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}
