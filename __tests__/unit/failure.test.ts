import {describe, expect, test} from '@jest/globals'
import {classifyBuildFailure} from '../../src/build/failure.js'
import {errorMessage} from '../../src/build/progress.js'
import {lastErrorLine} from '../../src/builder/remote.js'
import type {FailureKind} from '../../src/report/types.js'
import {buildxLines, buildxText, type BuildxFixture} from '../fixtures/buildx/load.js'

describe('classifyBuildFailure on real buildx failures', () => {
  // The message is what runBuild classifies: errorMessage of the plain progress.
  test.each<[BuildxFixture, FailureKind]>([
    ['run-exit-3', 'dockerfile'],
    ['containerfile-run-fails', 'dockerfile'],
    ['syntax-unknown-instruction', 'dockerfile'],
    ['copy-missing', 'dockerfile'],
    ['base-missing', 'dockerfile'],
    ['push-unauthorized', 'push'],
    ['push-unauthorized-with-cache', 'push'],
    ['endpoint-died-mid-build', 'builder'],
    ['bootstrap-refused', 'builder'],
    ['invalid-tag', 'build']
  ])('%s -> %s', (name, kind) => {
    expect(classifyBuildFailure(errorMessage(buildxLines(name)))).toBe(kind)
  })

  test('a failed bootstrap, as createRemoteBuilder reads it, is a builder failure', () => {
    expect(classifyBuildFailure(lastErrorLine(buildxText('bootstrap-refused')))).toBe('builder')
  })
})

describe('classifyBuildFailure edge cases', () => {
  test.each<[string, string, FailureKind]>([
    [
      'a RUN whose command mentions a connection error is still the Dockerfile',
      'failed to solve: process "/bin/sh -c curl x || echo connection refused; exit 1" did not complete successfully: exit code: 1',
      'dockerfile'
    ],
    [
      'a push to a registry that refuses connections is a push failure, not the builder',
      'failed to solve: failed to push ghcr.io/acme/app:1: failed to do request: Head "https://ghcr.io/v2/": dial tcp 127.0.0.1:443: connect: connection refused',
      'push'
    ],
    [
      'GHCR without packages: write',
      'failed to solve: failed to push ghcr.io/acme/app:latest: denied: permission_denied: write_package',
      'push'
    ],
    [
      'a token that cannot authorize',
      'failed to solve: failed to fetch oauth token: failed to authorize: unexpected status: 403 Forbidden',
      'push'
    ],
    [
      'a missing --target stage',
      'failed to build: failed to solve: target stage "nope" could not be found',
      'dockerfile'
    ],
    [
      'connection lost while the remote builder was sending',
      'failed to solve: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1234: connect: connection refused"',
      'builder'
    ],
    [
      'the session went away',
      'failed to solve: no active session for abc: context deadline exceeded',
      'builder'
    ],
    [
      'the server said goodbye',
      'rpc error: code = Unavailable desc = closing transport due to: GOAWAY',
      'builder'
    ],
    [
      'out of disk space',
      'failed to solve: write /var/lib/buildkit: no space left on device',
      'build'
    ],
    ['an empty message', '', 'build']
  ])('%s', (_name, message, kind) => {
    expect(classifyBuildFailure(message)).toBe(kind)
  })
})
