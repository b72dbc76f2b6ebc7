import {describe, expect, it} from '@jest/globals'
import type {GitContext} from '../../src/context.js'
import {globalScope} from '../../src/metadata/scope.js'
import {
  checkTemplate,
  expressionNames,
  isSingleExpression,
  parseTemplate,
  renderTemplate
} from '../../src/metadata/template.js'
import {gitContext, onBranch, onPull, onTag} from '../fixtures/git-context.js'

const NOW = new Date('2020-01-10T00:30:00.000Z')

const render = (template: string, ctx: GitContext = gitContext()): string =>
  renderTemplate(template, globalScope(ctx, NOW, ctx.sha))

describe('renderTemplate: syntax', () => {
  const scope = {
    version: '1.2.3',
    major: '1',
    upper: (args: string[]) => args.join('+').toUpperCase()
  }

  it.each<[string, string]>([
    ['plain', 'plain'],
    ['', ''],
    ['{{version}}', '1.2.3'],
    ['v{{major}}', 'v1'],
    ['{{ version }}', '1.2.3'],
    ['{{major}}.{{version}}-x', '1.1.2.3-x'],
    ['{{upper \'a\' "b"}}', 'A+B'],
    ['a } b }} c', 'a } b }} c'],
    ["{{upper 'x,y'}}", 'X,Y']
  ])('%s -> %s', (template, expected) => {
    expect(renderTemplate(template, scope)).toBe(expected)
  })

  it.each<[string, string]>([
    [
      '{{nope}}',
      '{{nope}} is not a known expression here; use one of {{version}}, {{major}}, {{upper}}'
    ],
    ['{{version', '"{{version" opens {{ but never closes it with }}'],
    ["{{version 'x'}}", "{{version 'x'}}: {{version}} takes no arguments"],
    ["{{'x'}}", "{{'x'}} must start with a name such as {{version}}"],
    ['{{}}', '{{}} is an empty expression'],
    ['{{upper x}}', '{{upper x}}: put "x" in quotes'],
    ['{{constructor}}', '{{constructor}} is not a known expression here']
  ])('%s is an error', (template, message) => {
    expect(() => renderTemplate(template, scope)).toThrow(message)
  })

  it('lists expression names and spots a lone {{raw}}', () => {
    expect(expressionNames("v{{major}}.{{minor}}-{{date 'YY'}}")).toEqual([
      'major',
      'minor',
      'date'
    ])
    expect(isSingleExpression('{{raw}}', 'raw')).toBe(true)
    expect(isSingleExpression(' {{ raw }} ', 'raw')).toBe(true)
    expect(isSingleExpression('v{{raw}}', 'raw')).toBe(false)
    expect(isSingleExpression('{{version}}', 'raw')).toBe(false)
    expect(parseTemplate('a{{b}}c')).toEqual([
      'a',
      {name: 'b', args: [], options: {}, source: '{{b}}'},
      'c'
    ])
  })

  it('checkTemplate accepts known names and rejects others', () => {
    expect(() => checkTemplate('{{a}}-{{b}}', ['a', 'b'])).not.toThrow()
    expect(() => checkTemplate('{{a}}-{{c}}', ['a', 'b'])).toThrow(
      '{{c}} is not a known expression here; use one of {{a}}, {{b}}'
    )
  })
})

describe('global expressions (metadata-action README tables)', () => {
  it.each<[string, GitContext, string]>([
    ['{{branch}}', onPull(2), ''],
    ['{{branch}}', onBranch('master'), 'master'],
    ['{{branch}}', onBranch('my/branch'), 'my/branch'],
    ['{{branch}}', onTag('v1.2.3'), ''],
    ['{{tag}}', onPull(2), ''],
    ['{{tag}}', onBranch('master'), ''],
    ['{{tag}}', onTag('v1.2.3'), 'v1.2.3'],
    ['{{tag}}', onTag('v1.2.3', {eventName: 'release'}), 'v1.2.3'],
    ['{{sha}}', gitContext({sha: '90dd6032fac8bda1b6c4436a2e65de27961ed071'}), '90dd603'],
    ['{{sha}}', onPull(2), '860c190'],
    ['{{base_ref}}', onPull(2), 'main'],
    ['{{base_ref}}', onBranch('master'), ''],
    ['{{base_ref}}', onBranch('my/branch', {baseRef: 'main'}), ''],
    ['{{base_ref}}', onTag('v1.2.3', {baseRef: 'refs/heads/master'}), 'master'],
    ['{{is_default_branch}}', onBranch('main'), 'true'],
    ['{{is_default_branch}}', onBranch('dev'), 'false'],
    ['{{is_default_branch}}', onTag('v1.2.3'), 'false'],
    ['{{is_default_branch}}', onPull(2, {branch: 'main'}), 'false'],
    ['{{is_default_branch}}', onBranch('main', {defaultBranch: ''}), 'false'],
    ['{{is_default_branch}}', onBranch('main', {defaultBranch: '', eventName: 'schedule'}), 'true'],
    ['{{is_default_branch}}', onBranch('main', {defaultBranch: '', eventName: 'issues'}), 'true'],
    ["{{date 'YYYYMMDD'}}", gitContext(), '20200110'],
    ["{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", gitContext(), '20200110-093000'],
    ['{{date \'YYYYMMDD-HHmmss\' tz="America/New_York"}}', gitContext(), '20200109-193000'],
    [
      "{{date 'dddd, MMMM Do YYYY, h:mm:ss a'}}",
      gitContext(),
      'Friday, January 10th 2020, 12:30:00 am'
    ],
    ["{{date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}", gitContext(), '2020-01-10T00:30:00.000Z'],
    ["{{commit_date 'YYYYMMDD-HHmmss'}}", gitContext(), '20200109-152550'],
    [
      "{{commit_date 'dddd, MMMM Do YYYY, h:mm:ss a'}}",
      gitContext(),
      'Thursday, January 9th 2020, 3:25:50 pm'
    ],
    ["{{branch}}-{{sha}}-{{date 'X'}}", onBranch('dev'), 'dev-860c190-1578616200']
  ])('%s on %j', (template, ctx, expected) => {
    expect(render(template, ctx)).toBe(expected)
  })

  it.each<[string, string]>([
    ['{{date}}', "{{date}} needs one format in quotes, e.g. {{date 'YYYYMMDD'}}"],
    ["{{date 'a' 'b'}}", '{{date}} needs one format in quotes'],
    ["{{date 'YYYY' zone='UTC'}}", "{{date}} knows only tz='Zone', not zone"],
    [
      "{{date 'YYYY' tz='Mars/Olympus'}}",
      "tz='Mars/Olympus' is not a known time zone; use an IANA name such as Asia/Tokyo"
    ],
    ['{{branch 1}}', '{{branch 1}}: put "1" in quotes'],
    ["{{sha 'x'}}", "{{sha 'x'}}: {{sha}} takes no arguments"],
    [
      '{{version}}',
      '{{version}} is not a known expression here; use one of {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{date}}, {{commit_date}}'
    ]
  ])('%s is an error', (template, message) => {
    expect(() => render(template)).toThrow(message)
  })
})
