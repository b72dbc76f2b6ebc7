// Which input values get masked before anything runs.
import {describe, expect, it} from '@jest/globals'
import {secretValues} from '../../src/config.js'

const pem =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----'

function inputs(values: Record<string, string>): (name: string) => string {
  return name => values[name] ?? ''
}

describe('secretValues', () => {
  it.each([
    ['the password', {password: 'ghp_abcdef123456'}, ['ghp_abcdef123456']],
    ['an ntfy bearer token', {'ntfy-token': 'tk_abcdefgh'}, ['tk_abcdefgh']],
    [
      'both halves of ntfy user:password',
      {'ntfy-token': 'alice:s3cret-pw'},
      ['alice:s3cret-pw', 's3cret-pw']
    ],
    [
      'secret values, not their ids',
      {secrets: 'NPM_TOKEN=npm_123456\nOTHER=abcdef'},
      ['npm_123456', 'abcdef']
    ],
    ['nothing when no secret input is set', {images: 'ghcr.io/a/b'}, []]
  ])('masks %s', (_what, values, expected) => {
    expect(secretValues(inputs(values)).sort()).toEqual(expected.sort())
  })

  it('masks a PEM key whole and line by line, but not its armor lines', () => {
    const masked = secretValues(inputs({'buildkit-tls-key': pem}))
    expect(masked).toContain(pem)
    expect(masked).toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')
    expect(masked).toContain('BKcwggSjAgEAAoIBAQC7')
    expect(masked).not.toContain('-----BEGIN PRIVATE KEY-----')
  })

  it('leaves a TLS key given as a file path readable (the file is what is secret)', () => {
    expect(secretValues(inputs({'buildkit-tls-key': '/etc/buildkit/client.key'}))).toEqual([])
  })

  it('ignores values too short to mask without wrecking the log', () => {
    expect(secretValues(inputs({password: 'abc'}))).toEqual([])
  })
})
