import {describe, expect, it} from '@jest/globals'
import type {GitContext} from '../../src/context.js'
import {computeMetadata, imageRefs, type MetadataInput} from '../../src/metadata/index.js'
import {parseFlavor} from '../../src/metadata/flavor.js'
import {parseTagRules} from '../../src/metadata/rules.js'
import {gitContextBuilders, HELLO_WORLD, PR_HEAD_SHA, SHA} from '../fixtures/git-context.js'

const NOW = new Date('2020-01-10T00:30:00.000Z')
const DEV = 'dev-20200110-003000'
const COMMIT = 'commit-860c190'

const contexts = gitContextBuilders({
  repository: {...HELLO_WORLD, description: 'This your first repo!'},
  runUrl: 'https://github.com/octocat/Hello-World/actions/runs/1'
})
const {gitContext, onBranch, onTag} = contexts
const onRelease = (tag: string): GitContext => onTag(tag, {eventName: 'release'})
const onPull = (n: number, over: Partial<GitContext> = {}): GitContext =>
  contexts.onPull(n, {branch: 'feature/login', ...over})

function input(over: Partial<MetadataInput> = {}): MetadataInput {
  return {
    images: ['ghcr.io/octocat/hello-world'],
    tagRules: [],
    flavor: parseFlavor([]),
    labels: [],
    annotations: [],
    environment: '',
    ...over
  }
}
const tagsFor = (ctx: GitContext, over: Partial<MetadataInput> = {}): string[] =>
  computeMetadata(input(over), ctx, NOW).tags

describe('default tags: every row of DESIGN.md', () => {
  it.each<[string, GitContext, string, string[]]>([
    ['push to the default branch', onBranch('main'), '', ['latest', DEV, COMMIT]],
    ['push to feature/login', onBranch('feature/login'), '', ['feature-login', DEV, COMMIT]],
    ['push to fix/a', onBranch('fix/a'), '', ['feature-fix-a', DEV, COMMIT]],
    ['push of tag v1.2.3', onTag('v1.2.3'), '', ['v1.2.3', 'v1.2', 'v1', 'latest', COMMIT]],
    [
      'release v1.2.3 published',
      onRelease('v1.2.3'),
      '',
      ['v1.2.3', 'v1.2', 'v1', 'latest', COMMIT]
    ],
    ['push of tag v1.3.0-rc.1', onTag('v1.3.0-rc.1'), '', ['v1.3.0-rc.1', COMMIT]],
    ['push of tag v0.3.1', onTag('v0.3.1'), '', ['v0.3.1', 'v0.3', 'latest', COMMIT]],
    ['pull request #42', onPull(42), '', ['pr-42', 'test-c0ffee1']],
    [
      'environment prod on a release',
      onRelease('v1.2.3'),
      'prod',
      ['v1.2.3', 'v1.2', 'v1', 'latest', 'prod-v1.2.3', COMMIT]
    ]
  ])('%s', (_name, ctx, environment, expected) => {
    expect(tagsFor(ctx, {environment})).toEqual(expected)
  })
})

describe('default tags: more events', () => {
  it.each<[string, GitContext, string, string[]]>([
    ['branch feature-x is not doubled', onBranch('feature-x'), '', ['feature-x', DEV, COMMIT]],
    [
      'branch Feature/Login keeps its case',
      onBranch('Feature/Login'),
      '',
      ['Feature-Login', DEV, COMMIT]
    ],
    ['branch named feature', onBranch('feature'), '', ['feature', DEV, COMMIT]],
    ['branch featured/x', onBranch('featured/x'), '', ['feature-featured-x', DEV, COMMIT]],
    ['non-semver tag nightly-x', onTag('nightly-x'), '', ['nightly-x', COMMIT]],
    ['non-semver tag with slash', onTag('release/2024 q1'), '', ['release-2024-q1', COMMIT]],
    ['tag 1.2.3 without v', onTag('1.2.3'), '', ['1.2.3', '1.2', '1', 'latest', COMMIT]],
    [
      'tag v2.0.0+build.7',
      onTag('v2.0.0+build.7'),
      '',
      ['v2.0.0-build.7', 'v2.0', 'v2', 'latest', COMMIT]
    ],
    // The semver package accepts a lowercase v only, as in metadata-action.
    ['tag V3.1.0 is not semver', onTag('V3.1.0'), '', ['V3.1.0', COMMIT]],
    ['tag v0.0.1', onTag('v0.0.1'), '', ['v0.0.1', 'v0.0', 'latest', COMMIT]],
    [
      'workflow_dispatch on main',
      onBranch('main', {eventName: 'workflow_dispatch'}),
      '',
      ['latest', DEV, COMMIT]
    ],
    ['schedule on main', onBranch('main', {eventName: 'schedule'}), '', ['latest', DEV, COMMIT]],
    [
      'workflow_dispatch on feature/login',
      onBranch('feature/login', {eventName: 'workflow_dispatch'}),
      '',
      ['feature-login', DEV, COMMIT]
    ],
    [
      'workflow_dispatch on a tag',
      onTag('v1.2.3', {eventName: 'workflow_dispatch'}),
      '',
      ['v1.2.3', 'v1.2', 'v1', 'latest', COMMIT]
    ],
    [
      'pull_request_target',
      onPull(7, {eventName: 'pull_request_target', ref: 'refs/heads/main'}),
      '',
      ['pr-7', 'test-c0ffee1']
    ],
    ['pull request from a fork', onPull(9, {isFork: true}), '', ['pr-9', 'test-c0ffee1']],
    ['pull request without head sha', onPull(9, {headSha: ''}), '', ['pr-9', 'test-860c190']],
    [
      'environment on a prerelease',
      onTag('v1.3.0-rc.1'),
      'staging',
      ['v1.3.0-rc.1', 'staging-v1.3.0-rc.1', COMMIT]
    ],
    ['environment on a branch does nothing', onBranch('main'), 'prod', ['latest', DEV, COMMIT]],
    ['environment on a non-semver tag does nothing', onTag('nightly'), 'prod', ['nightly', COMMIT]],
    [
      'environment is sanitised',
      onTag('v1.0.0'),
      'EU West/1',
      ['v1.0.0', 'v1.0', 'v1', 'latest', 'EU-West-1-v1.0.0', COMMIT]
    ],
    [
      'unknown ref kind',
      gitContext({refKind: 'other', ref: 'refs/remotes/x', branch: ''}),
      '',
      [DEV, COMMIT]
    ],
    [
      'merge_group queue branch',
      onBranch('gh-readonly-queue/main/pr-1-abc', {eventName: 'merge_group'}),
      '',
      ['feature-gh-readonly-queue-main-pr-1-abc', DEV, COMMIT]
    ],
    ['no commit sha', onBranch('dev', {sha: '', headSha: ''}), '', ['feature-dev', DEV]]
  ])('%s', (_name, ctx, environment, expected) => {
    expect(tagsFor(ctx, {environment})).toEqual(expected)
  })

  it('formats dev- in UTC from the build time, not the commit date', () => {
    const ctx = onBranch('main', {commitDate: new Date('2001-02-03T04:05:06Z')})
    const tags = computeMetadata(input(), ctx, new Date('2024-12-31T23:59:58.999+05:00')).tags
    expect(tags).toContain('dev-20241231-185958')
  })
})

describe('default tags: hostile branch names', () => {
  const long = 'x'.repeat(200)
  it.each<[string, string[]]>([
    ['feature/ÜBER', ['feature-BER', DEV, COMMIT]],
    ['a..b', ['feature-a..b', DEV, COMMIT]],
    [long, ['feature-' + 'x'.repeat(120), DEV, COMMIT]],
    ['feature/' + long, ['feature-' + 'x'.repeat(120), DEV, COMMIT]],
    ['$(touch /tmp/x)', ['feature-touch-tmp-x', DEV, COMMIT]],
    ['.github/x', ['feature-github-x', DEV, COMMIT]],
    ['--force', ['feature-force', DEV, COMMIT]],
    ['x;rm -rf /', ['feature-x-rm--rf', DEV, COMMIT]]
  ])('%j', (branch, expected) => {
    expect(tagsFor(onBranch(branch))).toEqual(expected)
  })

  it('a branch of only symbols gets no branch tag, with a warning', () => {
    const meta = computeMetadata(input(), onBranch('///***'), NOW)
    expect(meta.tags).toEqual([DEV, COMMIT])
    expect(meta.warnings).toEqual([
      'Branch "///***" has no characters usable in a Docker tag; it gets no branch tag'
    ])
  })

  it('every default tag is a valid Docker tag', () => {
    for (const branch of [
      'feature/ÜBER',
      'a..b',
      long,
      '$(touch /tmp/x)',
      '///***',
      '`id`',
      'ä/ö/ü'
    ]) {
      for (const tag of tagsFor(onBranch(branch))) {
        expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
      }
    }
  })
})

describe('default tags with a flavor', () => {
  it.each<[string, GitContext, string[], string[]]>([
    [
      'prefix',
      onBranch('feature/login'),
      ['prefix=app-'],
      ['app-feature-login', `app-${DEV}`, `app-${COMMIT}`]
    ],
    [
      'suffix',
      onTag('v1.2.3'),
      ['suffix=-slim'],
      ['v1.2.3-slim', 'v1.2-slim', 'v1-slim', 'latest', `${COMMIT}-slim`]
    ],
    [
      'suffix on latest',
      onBranch('main'),
      ['suffix=-slim,onlatest=true'],
      ['latest-slim', `${DEV}-slim`, `${COMMIT}-slim`]
    ],
    ['latest=false', onBranch('main'), ['latest=false'], [DEV, COMMIT]],
    [
      'latest=false on a release',
      onTag('v1.2.3'),
      ['latest=false'],
      ['v1.2.3', 'v1.2', 'v1', COMMIT]
    ],
    [
      'latest=true on a branch',
      onBranch('feature/login'),
      ['latest=true'],
      ['feature-login', 'latest', DEV, COMMIT]
    ],
    [
      'latest=true on a prerelease',
      onTag('v1.3.0-rc.1'),
      ['latest=true'],
      ['v1.3.0-rc.1', 'latest', COMMIT]
    ],
    [
      'latest=true on the default branch',
      onBranch('main'),
      ['latest=true'],
      ['latest', DEV, COMMIT]
    ],
    ['prefix on a PR', onPull(42), ['prefix=web-'], ['web-pr-42', 'web-test-c0ffee1']],
    [
      'prefix with an expression',
      onTag('v1.0.1'),
      ['prefix={{tag}}-'],
      ['v1.0.1-v1.0.1', 'v1.0.1-v1.0', 'v1.0.1-v1', 'latest', `v1.0.1-${COMMIT}`]
    ]
  ])('%s', (_name, ctx, flavor, expected) => {
    expect(tagsFor(ctx, {flavor: parseFlavor(flavor)})).toEqual(expected)
  })
})

describe('computeMetadata', () => {
  it('gives the version: the first tag that is not latest', () => {
    expect(computeMetadata(input(), onBranch('main'), NOW).version).toBe(DEV)
    expect(computeMetadata(input(), onBranch('feature/login'), NOW).version).toBe('feature-login')
    expect(computeMetadata(input(), onTag('v1.2.3'), NOW).version).toBe('v1.2.3')
    expect(computeMetadata(input(), onPull(42), NOW).version).toBe('pr-42')
  })

  it('makes refs for every image and tag, image-major', () => {
    const meta = computeMetadata(
      input({images: ['ghcr.io/o/r', 'registry.local:5000/r']}),
      onPull(42),
      NOW
    )
    expect(meta.refs).toEqual([
      'ghcr.io/o/r:pr-42',
      'ghcr.io/o/r:test-c0ffee1',
      'registry.local:5000/r:pr-42',
      'registry.local:5000/r:test-c0ffee1'
    ])
  })

  it('imageRefs without images gives the bare tags', () => {
    expect(imageRefs([], ['a', 'b'])).toEqual(['a', 'b'])
    expect(imageRefs(['i'], [])).toEqual([])
  })

  it('reproduces the README bake-file example for refs/tags/v1.2.3', () => {
    const tagRules = parseTagRules([
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=sha'
    ])
    const meta = computeMetadata(input({images: ['name/app'], tagRules}), onTag('v1.2.3'), NOW)
    expect(meta).toEqual({
      version: '1.2.3',
      tags: ['1.2.3', '1.2', 'sha-860c190', 'latest'],
      refs: ['name/app:1.2.3', 'name/app:1.2', 'name/app:sha-860c190', 'name/app:latest'],
      labels: [
        'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
        'org.opencontainers.image.description=This your first repo!',
        'org.opencontainers.image.licenses=MIT',
        'org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37',
        'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
        'org.opencontainers.image.title=Hello-World',
        'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
        'org.opencontainers.image.version=1.2.3'
      ],
      annotations: [
        'manifest:org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
        'manifest:org.opencontainers.image.description=This your first repo!',
        'manifest:org.opencontainers.image.licenses=MIT',
        'manifest:org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37',
        'manifest:org.opencontainers.image.source=https://github.com/octocat/Hello-World',
        'manifest:org.opencontainers.image.title=Hello-World',
        'manifest:org.opencontainers.image.url=https://github.com/octocat/Hello-World',
        'manifest:org.opencontainers.image.version=1.2.3'
      ],
      warnings: []
    })
  })

  it('ignores environment when tag rules are given', () => {
    const tagRules = parseTagRules(['type=ref,event=tag'])
    expect(tagsFor(onTag('v1.2.3'), {tagRules, environment: 'prod'})).toEqual(['v1.2.3', 'latest'])
  })

  it('names the merge commit on PRs, or the head commit with prHeadSha', () => {
    const tagRules = parseTagRules(['type=ref,event=pr', 'type=sha'])
    const merge = computeMetadata(input({tagRules}), onPull(2), NOW)
    expect(merge.tags).toEqual(['pr-2', 'sha-860c190'])
    expect(merge.labels).toContain(`org.opencontainers.image.revision=${SHA}`)
    const head = computeMetadata(input({tagRules, prHeadSha: true}), onPull(2), NOW)
    expect(head.tags).toEqual(['pr-2', 'sha-c0ffee1'])
    expect(head.labels).toContain(`org.opencontainers.image.revision=${PR_HEAD_SHA}`)
    expect(computeMetadata(input({tagRules, prHeadSha: true}), onBranch('x'), NOW).tags).toEqual([
      'sha-860c190'
    ])
  })

  it('warns when no tag is produced', () => {
    const tagRules = parseTagRules(['type=semver,pattern={{version}}'])
    const meta = computeMetadata(input({tagRules}), onBranch('dev'), NOW)
    expect(meta).toMatchObject({tags: [], refs: [], version: ''})
    expect(meta.warnings).toEqual([
      'No tag was produced for event "push" on refs/heads/dev; check the "tags" input'
    ])
    expect(meta.labels).toContain('org.opencontainers.image.version=')
  })

  it('merges user labels and annotations', () => {
    const meta = computeMetadata(
      input({
        labels: ['maintainer=CrazyMax', 'org.opencontainers.image.title=MyCustomTitle'],
        annotations: ['index:org.opencontainers.image.vendor=ACME']
      }),
      onBranch('main'),
      NOW
    )
    expect(meta.labels).toContain('maintainer=CrazyMax')
    expect(meta.labels).toContain('org.opencontainers.image.title=MyCustomTitle')
    expect(meta.labels).toContain(`org.opencontainers.image.version=${DEV}`)
    expect(meta.annotations).toContain('index:org.opencontainers.image.vendor=ACME')
    expect(meta.annotations).toContain('manifest:org.opencontainers.image.title=Hello-World')
  })
})
