// The probe's TLS handshake against a real TLS server on loopback: a trusted
// server passes, an untrusted one fails fast with a reason that names TLS;
// and TLS inputs that are unreadable paths are input errors.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type Server} from 'node:tls'
import type {AddressInfo} from 'node:net'
import {probeEndpoint} from '../../src/builder/probe.js'
import {readTlsMaterial} from '../../src/builder/remote.js'

const dir = mkdtempSync(join(tmpdir(), 'probe-tls-'))
const file = (name: string): string => join(dir, name)
const openssl = (args: string[]): void => {
  execFileSync('openssl', args, {stdio: 'ignore'})
}

/** A CA and a server certificate for IP 127.0.0.1 signed by it; a second, unrelated CA. */
function makeCertificates(): void {
  for (const ca of ['ca', 'other-ca']) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${ca}`,
      '-keyout',
      file(`${ca}.key`),
      '-out',
      file(`${ca}.crt`)
    ])
  }
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr')
  ])
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n')
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.crt')
  ])
}

let server: Server
let endpoint = ''

beforeAll(async () => {
  makeCertificates()
  server = createServer({
    key: readFileSync(file('server.key')),
    cert: readFileSync(file('server.crt')),
    ALPNProtocols: ['h2']
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  endpoint = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
  rmSync(dir, {recursive: true, force: true})
})

describe('probeEndpoint with TLS', () => {
  it('passes a server signed by the given CA', async () => {
    const pem = {ca: readFileSync(file('ca.crt'), 'utf8'), cert: '', key: ''}
    await expect(probeEndpoint(endpoint, 2000, pem)).resolves.toMatchObject({ok: true})
  })

  it('fails a server the given CA did not sign, saying it is TLS', async () => {
    const pem = {ca: readFileSync(file('other-ca.crt'), 'utf8'), cert: '', key: ''}
    const result = await probeEndpoint(endpoint, 2000, pem)
    expect(result.ok).toBe(false)
    expect(result.reason).toMatch(/^TLS handshake failed \(.+\); check buildkit-tls-ca/)
    expect(result.ms).toBeLessThan(1000)
  })

  it('without TLS material, a plain connect is enough', async () => {
    await expect(probeEndpoint(endpoint, 2000)).resolves.toMatchObject({ok: true})
  })
})

describe('readTlsMaterial', () => {
  it('is undefined without TLS inputs', () => {
    expect(readTlsMaterial({ca: '', cert: '', key: ''})).toBeUndefined()
  })

  it('reads paths and keeps PEM text', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    expect(readTlsMaterial({ca: file('ca.crt'), cert: pem, key: ''})).toEqual({
      ca: readFileSync(file('ca.crt'), 'utf8'),
      cert: pem,
      key: ''
    })
  })

  it('names the input when a path cannot be read', () => {
    expect(() => readTlsMaterial({ca: '/nonexistent/ca.pem', cert: '', key: ''})).toThrow(
      /^Input "buildkit-tls-ca": cannot read "\/nonexistent\/ca.pem" \(.*ENOENT.*\); give PEM text or a readable file path$/
    )
  })
})
