// The remote path: one buildx builder with the `remote` driver, one node per
// BuildKit host, TLS files from the inputs. Argument lists are built by pure
// functions; createRemoteBuilder only runs them.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import type {BuildkitNode, BuildkitTls} from '../config.js'
import {docker} from '../docker.js'
import type {ProbeTls} from './probe.js'

/** Paths of the TLS files buildx reads ('' = not given). */
export type TlsFiles = BuildkitTls

export class BuilderUnavailable extends Error {}

/** `buildx create` argument lists: the first node creates, the others append; the last bootstraps all. */
export function remoteCreateArgs(name: string, nodes: BuildkitNode[], tls: TlsFiles): string[][] {
  const driverOpt = tlsDriverOpt(tls)
  return nodes.map((node, i) => [
    'buildx',
    'create',
    ...(i > 0 ? ['--append'] : []),
    '--name',
    name,
    '--node',
    `${name}-${i}`,
    '--driver',
    'remote',
    ...(driverOpt ? ['--driver-opt', driverOpt] : []),
    ...(node.platforms.length > 0 ? ['--platform', node.platforms.join(',')] : []),
    ...(i === nodes.length - 1 ? ['--bootstrap'] : []),
    node.endpoint
  ])
}

function tlsDriverOpt(tls: TlsFiles): string {
  // buildx refuses relative paths ("non-absolute path provided for cacert");
  // a path in the inputs is relative to the workspace, the working directory.
  const opts = [
    tls.ca && `cacert=${resolve(tls.ca)}`,
    tls.cert && `cert=${resolve(tls.cert)}`,
    tls.key && `key=${resolve(tls.key)}`
  ]
  return opts.filter(Boolean).join(',')
}

/**
 * TLS inputs are PEM text or file paths; buildx wants paths. PEM text goes to
 * 0600 files in a private temp folder (returned, for post to remove).
 */
export function writeTlsFiles(tls: BuildkitTls, tempRoot: string): {files: TlsFiles; dir: string} {
  const pems = Object.entries(tls).filter(([, v]) => v.startsWith('-----BEGIN'))
  if (pems.length === 0) return {files: {...tls}, dir: ''}
  const dir = mkdtempSync(join(tempRoot, 'k8s-build-tls-'))
  const files = {...tls}
  for (const [kind, pem] of pems) {
    const path = join(dir, `${kind}.pem`)
    writeFileSync(path, pem.endsWith('\n') ? pem : `${pem}\n`, {mode: 0o600})
    files[kind as keyof BuildkitTls] = path
  }
  return {files, dir}
}

/**
 * The TLS material as PEM text (inputs are PEM text or file paths), for the
 * probe's handshake; undefined without TLS. An unreadable file is an input
 * error, not a reason to fall back.
 */
export function readTlsMaterial(tls: BuildkitTls): ProbeTls | undefined {
  if (!tls.ca && !tls.cert && !tls.key) return undefined
  const read = (input: string, value: string): string => {
    if (!value || value.startsWith('-----BEGIN')) return value
    try {
      return readFileSync(value, 'utf8')
    } catch (error) {
      throw new Error(
        `Input "${input}": cannot read "${value}" (${(error as Error).message}); give PEM text or a readable file path`
      )
    }
  }
  return {
    ca: read('buildkit-tls-ca', tls.ca),
    cert: read('buildkit-tls-cert', tls.cert),
    key: read('buildkit-tls-key', tls.key)
  }
}

/** Creates and bootstraps the builder within timeoutMs, or throws BuilderUnavailable. */
export async function createRemoteBuilder(
  name: string,
  nodes: BuildkitNode[],
  tls: TlsFiles,
  timeoutMs: number
): Promise<void> {
  for (const args of remoteCreateArgs(name, nodes, tls)) {
    const result = await docker(args, {timeoutMs})
    if (result.code !== 0) {
      const why = result.timedOut
        ? `bootstrap did not finish within ${timeoutMs / 1000} s`
        : lastErrorLine(result.stderr)
      const where = nodes.map(n => n.endpoint).join(', ')
      throw new BuilderUnavailable(`remote BuildKit builder on ${where} could not start: ${why}`)
    }
  }
}

export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  const error = lines.filter(l => l.startsWith('ERROR:')).pop() ?? lines.pop() ?? 'unknown error'
  return error.replace(/^ERROR:\s*/, '')
}
