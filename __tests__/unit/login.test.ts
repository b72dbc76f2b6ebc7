import {describe, expect, test} from '@jest/globals'
import {loginFailureMessage} from '../../src/registry/login.js'
import {buildxText} from '../fixtures/buildx/load.js'

// Real: `docker login` to the sandbox's auth registry with a wrong password.
const REAL_STDERR = buildxText('login-wrong-password')
const REGISTRY = '127.0.0.1:5443'
const PASSWORD = 'wr0ng-Pa55word'

describe('loginFailureMessage', () => {
  test('the daemon\'s "400 Bad Request" for a wrong password reads as rejected credentials', () => {
    expect(loginFailureMessage(REGISTRY, 'sandbox', REAL_STDERR, PASSWORD)).toBe(
      'Login to registry 127.0.0.1:5443 as "sandbox" failed: the registry rejected the credentials. ' +
        'Check the "username" and "password" inputs. (docker said: ' +
        'Error response from daemon: login attempt to http://127.0.0.1:5443/v2/ failed with status: 400 Bad Request)'
    )
  })

  test.each<[string, string, string]>([
    ['echoed by docker', `${REAL_STDERR}\nError: password ${PASSWORD} rejected\n`, PASSWORD],
    ['on the last line', `Error: bad credentials (${PASSWORD})`, PASSWORD],
    ['with a trailing newline docker trimmed away', `unauthorized: ${PASSWORD}`, `${PASSWORD}\n`],
    ['that looks like a status code', 'Error: 401 rejected 401', '401']
  ])('never contains the password (%s)', (_name, stderr, password) => {
    const message = loginFailureMessage(REGISTRY, 'sandbox', stderr, password)
    expect(message).not.toContain(password.trim())
    expect(message).toContain('***')
    expect(message).toContain('Check the "username" and "password" inputs')
  })

  test.each<[string, string, RegExp]>([
    [
      'ghcr.io names the permission a token needs',
      'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied',
      /^Login to registry ghcr\.io as "bot" failed: the registry rejected the credentials\. .*`packages: write`/
    ],
    [
      'a 401 is a rejection',
      'Error response from daemon: Get "https://r.example/v2/": unauthorized: authentication required',
      /failed: the registry rejected the credentials\./
    ],
    [
      'a registry that is down is not "rejected credentials"; docker\'s words are kept',
      'Error response from daemon: Get "http://127.0.0.1:4010/v2/": dial tcp 127.0.0.1:4010: connect: connection refused',
      /failed: Error response from daemon: Get "http:\/\/127\.0\.0\.1:4010\/v2\/": dial tcp 127\.0\.0\.1:4010: connect: connection refused\. Check/
    ],
    [
      'nothing on stderr: a plain failure, no empty "docker said"',
      '',
      /failed: docker login failed\. Check the "username" and "password" inputs\.$/
    ]
  ])('%s', (_name, stderr, expected) => {
    const registry = stderr.includes('ghcr.io') ? 'ghcr.io' : REGISTRY
    expect(loginFailureMessage(registry, 'bot', stderr, PASSWORD)).toMatch(expected)
  })

  test('an empty password masks nothing and breaks nothing', () => {
    expect(loginFailureMessage(REGISTRY, 'sandbox', REAL_STDERR, '')).toContain(
      '(docker said: Error response from daemon: login attempt to http://127.0.0.1:5443/v2/'
    )
  })

  test("only the last line of docker's output is quoted", () => {
    const message = loginFailureMessage(REGISTRY, 'u', 'WARNING! noise\nfinal words\n', PASSWORD)
    expect(message).toContain('failed: final words.')
    expect(message).not.toContain('noise')
  })
})
