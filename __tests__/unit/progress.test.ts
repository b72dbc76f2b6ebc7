import {describe, expect, test} from '@jest/globals'
import {
  cacheImportMisses,
  cacheStats,
  dockerfileLocation,
  errorMessage,
  exportMs
} from '../../src/build/progress.js'
import {buildxLines, type BuildxFixture} from '../fixtures/buildx/load.js'

describe('cacheStats', () => {
  // Real runs: 4-step Dockerfile (FROM + 3) for two platforms = 6 counted steps.
  test.each<[BuildxFixture, number, number]>([
    ['multi-platform-first', 0, 6],
    ['multi-platform-cached', 6, 6],
    ['push-unauthorized', 6, 6],
    // FROM is printed CACHED here and must not count.
    ['copy-missing', 0, 4],
    ['containerfile-run-fails', 0, 1],
    ['run-exit-3', 0, 4],
    ['syntax-unknown-instruction', 0, 0],
    ['endpoint-died-mid-build', 0, 1]
  ])('%s: %i of %i steps cached', (name, cached, total) => {
    expect(cacheStats(buildxLines(name))).toEqual({cached, total})
  })

  test.each<[string, string[], {cached: number; total: number}]>([
    ['no output', [], {cached: 0, total: 0}],
    [
      'named stages, with and without a platform; FROM of every stage excluded',
      [
        '#5 [build 1/3] FROM docker.io/library/golang:1.22',
        '#5 CACHED',
        '#6 [linux/arm64 build 2/3] RUN go build ./...',
        '#6 CACHED',
        '#7 [stage-1 1/2] FROM docker.io/library/alpine',
        '#8 [stage-1 2/2] COPY --from=build /out /app',
        '#8 DONE 0.1s'
      ],
      {cached: 1, total: 2}
    ],
    [
      'a step header printed twice counts once',
      [
        '#9 [linux/amd64 2/3] RUN make',
        '#9 0.1 building',
        '#9 [linux/amd64 2/3] RUN make',
        '#9 CACHED'
      ],
      {cached: 1, total: 1}
    ],
    [
      'CACHED of an internal step is no Dockerfile step',
      ['#3 [internal] load metadata for x', '#3 CACHED'],
      {cached: 0, total: 0}
    ],
    [
      'a RUN that prints "#4 CACHED" inside its output does not count',
      ['#4 [2/2] RUN echo "#4 CACHED"', '#4 0.120 #4 CACHED', '#4 DONE 0.2s'],
      {cached: 0, total: 1}
    ]
  ])('%s', (_name, lines, expected) => {
    expect(cacheStats(lines)).toEqual(expected)
  })
})

describe('cacheImportMisses', () => {
  test('first build: the registry cache ref does not exist yet', () => {
    const misses = cacheImportMisses(buildxLines('multi-platform-first'))
    expect(misses).toHaveLength(1)
    expect(misses[0]).toMatch(
      /^Cache import from 127\.0\.0\.1:5000\/fixtures\/app:buildcache-\d+ missed: failed to configure registry cache importer: .*: not found$/
    )
  })

  test('registry cache without credentials: a 401 is a miss, not a failure', () => {
    const misses = cacheImportMisses(buildxLines('push-unauthorized-with-cache'))
    expect(misses).toEqual([
      expect.stringMatching(
        /^Cache import from 127\.0\.0\.1:5443\/fixtures\/app:buildcache missed: .*401 Unauthorized$/
      )
    ])
  })

  test.each<BuildxFixture>(['multi-platform-cached', 'run-exit-3', 'push-unauthorized'])(
    '%s: no miss',
    name => {
      expect(cacheImportMisses(buildxLines(name))).toEqual([])
    }
  )

  test('an ERROR of another step is no cache miss', () => {
    const lines = [
      '#6 importing cache manifest from ghcr.io/acme/app:buildcache',
      '#6 DONE 0.2s',
      '#9 [2/2] RUN exit 1',
      '#9 ERROR: process "/bin/sh -c exit 1" did not complete successfully: exit code: 1'
    ]
    expect(cacheImportMisses(lines)).toEqual([])
  })
})

describe('dockerfileLocation', () => {
  test.each<[BuildxFixture, string, number]>([
    ['run-exit-3', 'Dockerfile', 3],
    ['syntax-unknown-instruction', 'Dockerfile.web', 3],
    ['containerfile-run-fails', 'Containerfile', 2],
    ['copy-missing', 'Dockerfile', 3],
    ['base-missing', 'Dockerfile', 1]
  ])('%s: %s:%i', (name, file, line) => {
    expect(dockerfileLocation(buildxLines(name))).toEqual({file, line})
  })

  test.each<BuildxFixture>([
    'multi-platform-first',
    'push-unauthorized',
    'endpoint-died-mid-build',
    'invalid-tag'
  ])('%s: no location', name => {
    expect(dockerfileLocation(buildxLines(name))).toBeUndefined()
  })

  test.each<[string, string[], {file: string; line: number} | undefined]>([
    [
      'a parse error without the excerpt falls back to its line number',
      ['ERROR: failed to solve: dockerfile parse error on line 7: unknown instruction: FORM'],
      {file: 'Dockerfile', line: 7}
    ],
    [
      'the excerpt wins over the parse error fallback',
      [
        'app.df:4',
        '--------------------',
        '   4 | >>> RUNN x',
        '--------------------',
        'ERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: RUNN'
      ],
      {file: 'app.df', line: 4}
    ],
    [
      '"Dockerfile:5" printed by a RUN is no location',
      ['#7 [2/3] RUN cat notes', '#7 0.210 Dockerfile:5', '------', 'ERROR: failed'],
      undefined
    ],
    [
      'NAME:N without the excerpt frame below is no location',
      ['Dockerfile:5', 'ERROR: failed to solve: something'],
      undefined
    ],
    [
      'the last excerpt wins',
      ['Dockerfile:2', '----------', 'Dockerfile:9', '----------'],
      {file: 'Dockerfile', line: 9}
    ]
  ])('%s', (_name, lines, expected) => {
    expect(dockerfileLocation(lines)).toEqual(expected)
  })
})

describe('errorMessage', () => {
  test.each<[BuildxFixture, string | RegExp]>([
    ['run-exit-3', 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3'],
    [
      'syntax-unknown-instruction',
      'dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)'
    ],
    ['copy-missing', /^failed to compute cache key: .*"\/missing.txt": not found$/],
    [
      'base-missing',
      /^.*failed to resolve source metadata for 127\.0\.0\.1:5000\/fixtures\/no-such-base:latest: .*not found$/
    ],
    [
      'push-unauthorized',
      /^failed to push 127\.0\.0\.1:5443\/fixtures\/app:\d+: .*401 Unauthorized$/
    ],
    [
      'endpoint-died-mid-build',
      'failed to receive status: rpc error: code = Unavailable desc = error reading from server: EOF'
    ],
    ['bootstrap-refused', 'context deadline exceeded'],
    [
      'invalid-tag',
      'invalid tag "127.0.0.1:5000/Fixtures/App:latest": repository name must be lowercase'
    ]
  ])('%s', (name, expected) => {
    const message = errorMessage(buildxLines(name))
    if (typeof expected === 'string') expect(message).toBe(expected)
    else expect(message).toMatch(expected)
  })

  test.each<[string, string[], string]>([
    [
      'the last of several ERROR lines',
      ['ERROR: first', '#3 ERROR: step', 'ERROR: second'],
      'second'
    ],
    ['no ERROR line: the last non-blank line', ['#1 DONE 0.1s', 'killed', '', '  '], 'killed'],
    ['nothing printed', [], 'build failed'],
    ['only blank lines', ['', ' '], 'build failed']
  ])('%s', (_name, lines, expected) => {
    expect(errorMessage(lines)).toBe(expected)
  })
})

describe('exportMs', () => {
  test('a pushing build spends time exporting the image and the cache', () => {
    expect(exportMs(buildxLines('multi-platform-first'))).toBeGreaterThan(0)
  })

  test.each<BuildxFixture>(['run-exit-3', 'push-unauthorized'])(
    '%s: no export step finished',
    name => {
      expect(exportMs(buildxLines(name))).toBe(0)
    }
  )

  test('sums the DONE times of the export steps only', () => {
    const lines = [
      '#9 [2/2] RUN make',
      '#9 DONE 5.0s',
      '#15 exporting to image',
      '#15 DONE 0.3s',
      '#16 exporting cache to registry',
      '#16 DONE 0.1s'
    ]
    expect(exportMs(lines)).toBe(400)
  })
})
