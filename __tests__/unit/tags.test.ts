import {describe, expect, it} from '@jest/globals'
import type {GitContext} from '../../src/context.js'
import type {TagResult} from '../../src/metadata/derive.js'
import {parseFlavor} from '../../src/metadata/flavor.js'
import {parseTagRules} from '../../src/metadata/rules.js'
import {tagsFromRules} from '../../src/metadata/tags.js'
import {gitContextBuilders, SHA} from '../fixtures/git-context.js'

const NOW = new Date('2020-01-10T00:30:00.000Z')

// The README examples run on a repository whose default branch is master.
const {onBranch, onTag, onPull} = gitContextBuilders({
  ref: 'refs/heads/master',
  branch: 'master',
  defaultBranch: 'master'
})
const onSchedule = (): GitContext => onBranch('master', {eventName: 'schedule'})

function derive(rules: string[], ctx: GitContext, flavor: string[] = []): TagResult {
  return tagsFromRules(parseTagRules(rules), parseFlavor(flavor), ctx, NOW, ctx.sha)
}
const tagsOf = (rules: string[], ctx: GitContext, flavor: string[] = []): string[] =>
  derive(rules, ctx, flavor).tags

describe('README "Basic" and "Semver" examples', () => {
  const basic = [
    'type=schedule',
    'type=ref,event=branch',
    'type=ref,event=tag',
    'type=ref,event=pr'
  ]
  const semverRules = [
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}'
  ]
  it.each<[string, string[], GitContext, string[]]>([
    ['basic pull_request', basic, onPull(2), ['pr-2']],
    ['basic push master', basic, onBranch('master'), ['master']],
    ['basic push releases/v1', basic, onBranch('releases/v1'), ['releases-v1']],
    ['basic push tag v1.2.3', basic, onTag('v1.2.3'), ['v1.2.3', 'latest']],
    ['basic push tag v2.0.8-beta.67', basic, onTag('v2.0.8-beta.67'), ['v2.0.8-beta.67', 'latest']],
    [
      'basic workflow_dispatch',
      basic,
      onBranch('master', {eventName: 'workflow_dispatch'}),
      ['master']
    ],
    ['basic schedule', basic, onSchedule(), ['nightly', 'master']],
    ['semver pull_request', semverRules, onPull(2), ['pr-2']],
    ['semver push master', semverRules, onBranch('master'), ['master']],
    ['semver push releases/v1', semverRules, onBranch('releases/v1'), ['releases-v1']],
    ['semver push tag v1.2.3', semverRules, onTag('v1.2.3'), ['1.2.3', '1.2', 'latest']],
    ['semver push tag v2.0.8-beta.67', semverRules, onTag('v2.0.8-beta.67'), ['2.0.8-beta.67']],
    [
      'bake example with type=sha',
      [...semverRules, 'type=sha'],
      onTag('v1.2.3'),
      ['1.2.3', '1.2', 'sha-860c190', 'latest']
    ]
  ])('%s', (_name, rules, ctx, expected) => {
    expect(tagsOf(rules, ctx)).toEqual(expected)
  })
})

describe('type=semver (README table, prereleases, major zero)', () => {
  it.each<[string, string, string[]]>([
    ['v1.2.3', '{{raw}}', ['v1.2.3', 'latest']],
    ['v1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['v1.2.3', '{{major}}.{{minor}}', ['1.2', 'latest']],
    ['v1.2.3', 'v{{major}}', ['v1', 'latest']],
    ['v1.2.3', '{{minor}}', ['2', 'latest']],
    ['v1.2.3', '{{patch}}', ['3', 'latest']],
    ['v1.2.3', 'v{{major}}.{{minor}}.{{patch}}', ['v1.2.3', 'latest']],
    ['1.2.3', 'v{{version}}', ['v1.2.3', 'latest']],
    ['v1.2.3+build.5', '{{version}}', ['1.2.3', 'latest']],
    ['v1.2.3+build.5', '{{raw}}', ['v1.2.3-build.5', 'latest']],
    ['v2.0.8-beta.67', '{{raw}}', ['v2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{version}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{major}}.{{minor}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', 'v{{major}}', ['2.0.8-beta.67']],
    ['v1.3.0-rc.1', 'v{{version}}', ['1.3.0-rc.1']],
    ['v0.3.1', '{{version}}', ['0.3.1', 'latest']],
    ['v0.3.1', '{{major}}.{{minor}}', ['0.3', 'latest']],
    ['v0.3.1', '{{major}}', []],
    ['v0.3.1', 'v{{major}}', []],
    ['v10.0.0', '{{major}}', ['10', 'latest']]
  ])('tag %s, pattern %s', (tag, pattern, expected) => {
    expect(tagsOf([`type=semver,pattern=${pattern}`], onTag(tag))).toEqual(expected)
  })

  it('gives v1.2.3, v1.2, v1 and latest for the usual three patterns', () => {
    const rules = [
      'type=semver,pattern={{raw}}',
      'type=semver,pattern=v{{major}}.{{minor}}',
      'type=semver,pattern=v{{major}}'
    ]
    expect(tagsOf(rules, onTag('v1.2.3'))).toEqual(['v1.2.3', 'v1.2', 'v1', 'latest'])
    expect(tagsOf(rules, onTag('v0.3.1'))).toEqual(['v0.3.1', 'v0.3', 'latest'])
    // A prerelease renders {{version}} for every pattern but a lone {{raw}} (metadata-action).
    expect(tagsOf(rules, onTag('v1.3.0-rc.1'))).toEqual(['v1.3.0-rc.1', '1.3.0-rc.1'])
  })

  it('uses value instead of the Git tag, also on a branch', () => {
    expect(tagsOf(['type=semver,pattern={{version}},value=v1.0.0'], onBranch('dev'))).toEqual([
      '1.0.0',
      'latest'
    ])
    expect(tagsOf(['type=semver,pattern={{major}},value={{branch}}'], onBranch('4.5.6'))).toEqual([
      '4',
      'latest'
    ])
  })

  it('makes nothing on branches and pull requests without a value', () => {
    expect(derive(['type=semver,pattern={{version}}'], onBranch('master'))).toEqual({
      tags: [],
      version: '',
      warnings: []
    })
    expect(tagsOf(['type=semver,pattern={{version}}'], onPull(3))).toEqual([])
  })

  it('warns about a tag that is not semver', () => {
    const result = derive(['type=semver,pattern={{version}}'], onTag('nightly-x'))
    expect(result.tags).toEqual([])
    expect(result.warnings).toEqual([
      '"nightly-x" is not a valid semver version (https://semver.org), so rule "type=semver,pattern={{version}}" made no tag'
    ])
  })

  it('turns slashes of the Git tag into dashes before parsing (like metadata-action)', () => {
    expect(derive(['type=semver,pattern={{version}}'], onTag('app/v1.2.3')).warnings[0]).toContain(
      '"app-v1.2.3" is not a valid semver'
    )
  })
})

describe('type=pep440 (README table)', () => {
  it.each<[string, string, string[]]>([
    ['1.2.3', '{{raw}}', ['1.2.3', 'latest']],
    ['1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['v1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['1.2.3', '{{major}}.{{minor}}', ['1.2', 'latest']],
    ['1.2.3', 'v{{major}}', ['v1', 'latest']],
    ['1.2.3', '{{patch}}', ['3', 'latest']],
    ['v1.2.3rc2', '{{raw}}', ['v1.2.3rc2']],
    ['1.2.3rc2', '{{version}}', ['1.2.3rc2']],
    ['1.2.3rc2', '{{major}}.{{minor}}', ['1.2.3rc2']],
    ['1.2.3post1', '{{major}}.{{minor}}', ['1.2.3.post1']],
    ['1.2.3beta2', '{{major}}.{{minor}}', ['1.2.3b2']],
    ['1.0dev4', '{{major}}.{{minor}}', ['1.0.dev4']],
    ['0.3.1', '{{major}}', []],
    ['0.3.1', '{{major}}.{{minor}}', ['0.3', 'latest']]
  ])('tag %s, pattern %s', (tag, pattern, expected) => {
    expect(tagsOf([`type=pep440,pattern=${pattern}`], onTag(tag))).toEqual(expected)
  })

  it('uses value and warns on a non-PEP 440 version', () => {
    expect(tagsOf(['type=pep440,pattern={{version}},value=1.0.0'], onBranch('x'))).toEqual([
      '1.0.0',
      'latest'
    ])
    expect(derive(['type=pep440,pattern={{version}}'], onTag('not-a-version')).warnings).toEqual([
      '"not-a-version" is not a PEP 440 version (https://peps.python.org/pep-0440/), so rule "type=pep440,pattern={{version}}" made no tag'
    ])
  })
})

describe('type=match (README table)', () => {
  it.each<[string, string, string, string[]]>([
    ['v1.2.3', '\\d.\\d.\\d', '0', ['1.2.3', 'latest']],
    ['v2.0.8-beta.67', 'v(.*)', '1', ['2.0.8-beta.67', 'latest']],
    ['v2.0.8-beta.67', 'v(\\d.\\d)', '1', ['2.0', 'latest']],
    ['20200110-RC2', '\\d+', '0', ['20200110', 'latest']],
    ['p1/v1.2.3', 'p1/v(\\d.\\d.\\d)', '1', ['1.2.3', 'latest']],
    ['V12', '/v(\\d+)/i', '1', ['12', 'latest']]
  ])('tag %s, pattern %s, group %s', (tag, pattern, group, expected) => {
    expect(tagsOf([`type=match,pattern=${pattern},group=${group}`], onTag(tag))).toEqual(expected)
  })

  it('uses value on a branch, and nothing without a tag or value', () => {
    expect(tagsOf(['type=match,pattern=v(.*),group=1,value=v1.0.0'], onBranch('x'))).toEqual([
      '1.0.0',
      'latest'
    ])
    expect(tagsOf(['type=match,pattern=v(.*),group=1'], onBranch('x'))).toEqual([])
  })

  it('warns when the pattern does not match or the group is missing', () => {
    expect(derive(['type=match,pattern=^x(\\d)'], onTag('v1')).warnings).toEqual([
      'Pattern "^x(\\d)" does not match "v1", so rule "type=match,pattern=^x(\\d)" made no tag'
    ])
    expect(derive(['type=match,pattern=v(\\d),group=3'], onTag('v1')).warnings).toEqual([
      'Group 3 does not exist in "v(\\d)" for "v1", so rule "type=match,pattern=v(\\d),group=3" made no tag'
    ])
  })

  it('renders expressions in the pattern and rejects a bad rendered regex', () => {
    expect(
      tagsOf(['type=match,pattern={{branch}}-(\\d+),group=1,value=rel-42'], onBranch('rel'))
    ).toEqual(['42', 'latest'])
    expect(() => derive(['type=match,pattern={{branch}}(,value=x'], onBranch('a'))).toThrow(
      'Input "tags": rule "type=match,pattern={{branch}}(,value=x": pattern "a(" is not a valid regular expression'
    )
  })
})

describe('type=edge, type=ref, type=raw, type=sha, type=schedule', () => {
  it.each<[string, string[], GitContext, string[]]>([
    ['edge on the default branch', ['type=edge'], onBranch('master'), ['edge']],
    ['edge on another branch', ['type=edge'], onBranch('dev'), []],
    ['edge with branch=', ['type=edge,branch=dev'], onBranch('dev'), ['edge']],
    ['edge on a tag', ['type=edge'], onTag('v1.2.3'), []],
    ['ref branch my/branch', ['type=ref,event=branch'], onBranch('my/branch'), ['my-branch']],
    ['ref branch on a tag', ['type=ref,event=branch'], onTag('v1'), []],
    ['ref branch on a PR', ['type=ref,event=branch'], onPull(2), []],
    ['ref tag', ['type=ref,event=tag'], onTag('v1.2.3'), ['v1.2.3', 'latest']],
    ['ref tag with slash', ['type=ref,event=tag'], onTag('p1/v1.2.3'), ['p1-v1.2.3', 'latest']],
    [
      'ref tag on a release',
      ['type=ref,event=tag'],
      onTag('v1.2.3', {eventName: 'release'}),
      ['v1.2.3', 'latest']
    ],
    ['ref pr', ['type=ref,event=pr'], onPull(318), ['pr-318']],
    [
      'ref pr number from the ref',
      ['type=ref,event=pr'],
      onPull(0, {ref: 'refs/pull/7/merge'}),
      ['pr-7']
    ],
    ['ref pr custom prefix', ['type=ref,event=pr,prefix=mr-'], onPull(2), ['mr-2']],
    ['ref pr on a branch', ['type=ref,event=pr'], onBranch('x'), []],
    [
      'ref pr with {{sha}} suffix',
      ['type=ref,event=pr,suffix=-{{sha}}'],
      onPull(2),
      ['pr-2-860c190']
    ],
    ['raw', ['type=raw,value=foo', 'type=raw,value=bar'], onBranch('x'), ['foo', 'bar']],
    ['raw shorthand', ['foo', 'bar'], onBranch('x'), ['foo', 'bar']],
    [
      'raw expressions',
      ['type=raw,value=mytag-{{branch}}-{{sha}}'],
      onBranch('dev'),
      ['mytag-dev-860c190']
    ],
    ['raw empty after rendering', ['type=raw,value={{tag}}'], onBranch('dev'), []],
    [
      'raw latest on the default branch',
      ['type=raw,value=latest,enable={{is_default_branch}}'],
      onBranch('master'),
      ['latest']
    ],
    [
      'raw latest elsewhere',
      ['type=raw,value=latest,enable={{is_default_branch}}'],
      onBranch('dev'),
      []
    ],
    ['raw disabled', ['type=raw,value=x,enable=false', 'y'], onBranch('dev'), ['y']],
    ['sha', ['type=sha'], onBranch('dev'), ['sha-860c190']],
    ['sha long', ['type=sha,format=long'], onBranch('dev'), [`sha-${SHA}`]],
    ['sha commit- prefix', ['type=sha,prefix=commit-'], onBranch('dev'), ['commit-860c190']],
    ['sha branch prefix', ['type=sha,prefix={{branch}}-'], onBranch('dev'), ['dev-860c190']],
    ['sha no prefix', ['type=sha,prefix='], onBranch('dev'), ['860c190']],
    ['sha without a commit', ['type=sha'], onBranch('dev', {sha: ''}), []],
    ['sha on a PR names the merge commit', ['type=sha'], onPull(2), ['sha-860c190']],
    ['schedule', ['type=schedule'], onSchedule(), ['nightly']],
    ['schedule on push', ['type=schedule'], onBranch('master'), []],
    ['schedule date', ["type=schedule,pattern={{date 'YYYYMMDD'}}"], onSchedule(), ['20200110']],
    [
      'schedule date in Tokyo',
      ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"],
      onSchedule(),
      ['20200110-093000']
    ],
    [
      'raw date in Tokyo',
      ["type=raw,value={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"],
      onBranch('x'),
      ['20200110-093000']
    ]
  ])('%s', (_name, rules, ctx, expected) => {
    expect(tagsOf(rules, ctx)).toEqual(expected)
  })

  it('rejects an enable expression that gives neither true nor false', () => {
    expect(() => derive(['type=raw,value=x,enable={{branch}}'], onBranch('dev'))).toThrow(
      'Input "tags": rule "type=raw,value=x,enable={{branch}}": enable "{{branch}}" gave "dev"; it must give true or false'
    )
  })

  it('reports a bad time zone with the rule', () => {
    expect(() => derive(["type=raw,value={{date 'YYYY' tz='Nowhere'}}"], onBranch('dev'))).toThrow(
      "Input \"tags\": rule \"type=raw,value={{date 'YYYY' tz='Nowhere'}}\": tz='Nowhere' is not a known time zone"
    )
  })
})

describe('latest=auto: the highest-priority rule that made a tag decides', () => {
  it.each<[string, string[], GitContext, string[]]>([
    [
      'semver first',
      ['type=semver,pattern={{version}}', 'type=sha'],
      onTag('v1.2.3'),
      ['1.2.3', 'sha-860c190', 'latest']
    ],
    [
      'prerelease first',
      ['type=semver,pattern={{version}}', 'type=ref,event=tag'],
      onTag('v1.0.0-rc.1'),
      ['1.0.0-rc.1', 'v1.0.0-rc.1']
    ],
    [
      'raw outranks semver',
      ['type=raw,value=foo,priority=1000', 'type=semver,pattern={{version}}'],
      onTag('v1.2.3'),
      ['foo', '1.2.3']
    ],
    [
      'semver skipped, ref tag decides',
      ['type=semver,pattern={{version}}', 'type=ref,event=tag'],
      onTag('nightly'),
      ['nightly', 'latest']
    ],
    [
      'match decides',
      ['type=match,pattern=\\d+', 'type=sha'],
      onTag('build-7'),
      ['7', 'sha-860c190', 'latest']
    ],
    [
      'branch never',
      ['type=ref,event=branch', 'type=sha'],
      onBranch('master'),
      ['master', 'sha-860c190']
    ],
    ['edge never', ['type=edge'], onBranch('master'), ['edge']],
    [
      'schedule never',
      ['type=schedule', 'type=semver,pattern={{version}},value=1.0.0'],
      onSchedule(),
      ['nightly', '1.0.0']
    ],
    [
      'disabled rule does not decide',
      ['type=raw,value=x,priority=2000,enable=false', 'type=ref,event=tag'],
      onTag('v1'),
      ['v1', 'latest']
    ],
    [
      'major zero skipped, next decides',
      ['type=semver,pattern={{major}}', 'type=raw,value=r'],
      onTag('v0.1.0'),
      ['r']
    ]
  ])('%s', (_name, rules, ctx, expected) => {
    expect(tagsOf(rules, ctx)).toEqual(expected)
  })

  it('the first tag is the version', () => {
    expect(
      derive(
        ['type=sha', 'type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'],
        onTag('v1.2.3')
      )
    ).toEqual({
      tags: ['1.2.3', '1.2', 'sha-860c190', 'latest'],
      version: '1.2.3',
      warnings: []
    })
  })
})

describe('flavor', () => {
  it.each<[string, string[], string[], GitContext, string[]]>([
    [
      'latest=true on a branch',
      ['type=ref,event=branch'],
      ['latest=true'],
      onBranch('dev'),
      ['dev', 'latest']
    ],
    [
      'latest=false on a tag',
      ['type=semver,pattern={{version}}'],
      ['latest=false'],
      onTag('v1.2.3'),
      ['1.2.3']
    ],
    [
      'latest=true with no tag at all',
      ['type=ref,event=tag'],
      ['latest=true'],
      onBranch('dev'),
      []
    ],
    [
      'latest=true and raw latest',
      ['type=raw,value=latest'],
      ['latest=true'],
      onBranch('dev'),
      ['latest']
    ],
    [
      'prefix',
      ['type=semver,pattern={{version}}'],
      ['prefix=app-'],
      onTag('v1.2.3'),
      ['app-1.2.3', 'latest']
    ],
    [
      'prefix on latest',
      ['type=semver,pattern={{version}}'],
      ['prefix=app-,onlatest=true'],
      onTag('v1.2.3'),
      ['app-1.2.3', 'app-latest']
    ],
    [
      'suffix',
      ['type=semver,pattern={{version}}'],
      ['suffix=-alpine'],
      onTag('v1.2.3'),
      ['1.2.3-alpine', 'latest']
    ],
    [
      'suffix on latest',
      ['type=semver,pattern={{version}}'],
      ['suffix=-alpine,onlatest=true'],
      onTag('v1.2.3'),
      ['1.2.3-alpine', 'latest-alpine']
    ],
    ['rule prefix wins', ['type=raw,value=x,prefix=r-'], ['prefix=f-'], onBranch('dev'), ['r-x']],
    ['empty rule prefix wins', ['type=raw,value=x,prefix='], ['prefix=f-'], onBranch('dev'), ['x']],
    ['sha keeps sha-', ['type=sha'], ['prefix=f-'], onBranch('dev'), ['sha-860c190']],
    ['pr keeps pr-', ['type=ref,event=pr'], ['prefix=f-'], onPull(2), ['pr-2']],
    ['flavor suffix on sha', ['type=sha'], ['suffix=-slim'], onBranch('dev'), ['sha-860c190-slim']],
    ['prefix expression', ['type=raw,value=x'], ['prefix={{branch}}-'], onBranch('dev'), ['dev-x']]
  ])('%s', (_name, rules, flavor, ctx, expected) => {
    expect(tagsOf(rules, ctx, flavor)).toEqual(expected)
  })
})

describe('sanitising', () => {
  const long = 'b'.repeat(200)
  it.each<[string, string[]]>([
    ['feature/ÜBER', ['feature-BER']],
    ['a..b', ['a..b']],
    [long, ['b'.repeat(128)]],
    ['$(touch /tmp/x)', ['touch-tmp-x-']],
    ['.hidden', ['hidden']],
    ['-dash', ['dash']],
    ['..--x', ['x']],
    ['_under', ['_under']],
    ['ok/../../etc', ['ok-..-..-etc']],
    ['a  b\tc', ['a-b-c']],
    ['emoji-🚀-x', ['emoji---x']],
    ['ÜBER', ['BER']]
  ])('branch %j', (branch, expected) => {
    expect(tagsOf(['type=ref,event=branch'], onBranch(branch))).toEqual(expected)
  })

  it('drops a tag with nothing usable, with a warning', () => {
    expect(derive(['type=ref,event=branch', 'type=sha'], onBranch('///***'))).toEqual({
      tags: ['sha-860c190'],
      version: 'sha-860c190',
      warnings: [
        'Tag "///***" (from rule "type=ref,event=branch") has no characters a Docker tag may start with; it was dropped'
      ]
    })
  })

  it('cuts a prefixed value to 128 characters', () => {
    const tags = tagsOf(['type=raw,value=' + 'x'.repeat(130)], onBranch('dev'), ['prefix=p-'])
    expect(tags).toEqual(['p-' + 'x'.repeat(126)])
  })

  it('removes duplicates, keeping the first', () => {
    expect(
      tagsOf(['a', 'b', 'a', 'type=raw,value=a/', 'type=raw,value=a-'], onBranch('dev'))
    ).toEqual(['a', 'b', 'a-'])
  })

  it('every tag matches the Docker tag grammar', () => {
    const hostile = [
      'feature/ÜBER',
      'a..b',
      long,
      '$(touch /tmp/x)',
      '-x',
      '.x',
      'x;rm -rf /',
      '`id`',
      'a\nb'
    ]
    for (const branch of hostile) {
      for (const tag of tagsOf(
        ['type=ref,event=branch', 'type=raw,value={{branch}}-{{sha}}'],
        onBranch(branch)
      )) {
        expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
      }
    }
  })
})
