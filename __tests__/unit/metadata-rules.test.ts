import {describe, expect, it} from '@jest/globals'
import {
  DEFAULT_PRIORITY,
  parseTagRule,
  parseTagRules,
  type TagRule
} from '../../src/metadata/rules.js'

const base = (rule: Partial<TagRule> & Pick<TagRule, 'type' | 'line'>): TagRule => ({
  priority: DEFAULT_PRIORITY[rule.type],
  enable: 'true',
  prefix: undefined,
  suffix: undefined,
  pattern: '',
  value: '',
  event: undefined,
  group: 0,
  branch: '',
  format: 'short',
  ...rule
})

describe('parseTagRule: metadata-action syntax and defaults', () => {
  it.each<[string, TagRule]>([
    ['type=schedule', base({type: 'schedule', line: 'type=schedule', pattern: 'nightly'})],
    [
      "type=schedule,pattern={{date 'YYYYMMDD'}}",
      base({
        type: 'schedule',
        line: "type=schedule,pattern={{date 'YYYYMMDD'}}",
        pattern: "{{date 'YYYYMMDD'}}"
      })
    ],
    [
      'type=semver,pattern={{version}}',
      base({type: 'semver', line: 'type=semver,pattern={{version}}', pattern: '{{version}}'})
    ],
    [
      'type=semver,pattern={{version}},value=v1.0.0',
      base({
        type: 'semver',
        line: 'type=semver,pattern={{version}},value=v1.0.0',
        pattern: '{{version}}',
        value: 'v1.0.0'
      })
    ],
    [
      'type=pep440,pattern={{version}}',
      base({type: 'pep440', line: 'type=pep440,pattern={{version}}', pattern: '{{version}}'})
    ],
    [
      'type=match,pattern=\\d.\\d.\\d',
      base({type: 'match', line: 'type=match,pattern=\\d.\\d.\\d', pattern: '\\d.\\d.\\d'})
    ],
    [
      'type=match,pattern=v(.*),group=1',
      base({type: 'match', line: 'type=match,pattern=v(.*),group=1', pattern: 'v(.*)', group: 1})
    ],
    ['type=edge', base({type: 'edge', line: 'type=edge'})],
    ['type=edge,branch=main', base({type: 'edge', line: 'type=edge,branch=main', branch: 'main'})],
    ['type=ref,event=branch', base({type: 'ref', line: 'type=ref,event=branch', event: 'branch'})],
    ['type=ref,event=tag', base({type: 'ref', line: 'type=ref,event=tag', event: 'tag'})],
    [
      'type=ref,event=pr',
      base({type: 'ref', line: 'type=ref,event=pr', event: 'pr', prefix: 'pr-'})
    ],
    [
      'type=ref,event=pr,prefix=',
      base({type: 'ref', line: 'type=ref,event=pr,prefix=', event: 'pr', prefix: ''})
    ],
    ['type=raw,value=foo', base({type: 'raw', line: 'type=raw,value=foo', value: 'foo'})],
    ['type=raw,foo', base({type: 'raw', line: 'type=raw,foo', value: 'foo'})],
    ['foo', base({type: 'raw', line: 'foo', value: 'foo'})],
    [
      'latest,enable={{is_default_branch}}',
      base({
        type: 'raw',
        line: 'latest,enable={{is_default_branch}}',
        value: 'latest',
        enable: '{{is_default_branch}}'
      })
    ],
    ['type=sha', base({type: 'sha', line: 'type=sha', prefix: 'sha-'})],
    [
      'type=sha,format=long',
      base({type: 'sha', line: 'type=sha,format=long', prefix: 'sha-', format: 'long'})
    ],
    [
      'type=sha,prefix=commit-',
      base({type: 'sha', line: 'type=sha,prefix=commit-', prefix: 'commit-'})
    ],
    [
      'type=raw,value=x,priority=1500,prefix=p-,suffix=-s,enable=false',
      base({
        type: 'raw',
        line: 'type=raw,value=x,priority=1500,prefix=p-,suffix=-s,enable=false',
        value: 'x',
        priority: 1500,
        prefix: 'p-',
        suffix: '-s',
        enable: 'false'
      })
    ],
    [
      'type=raw,value=x,priority=-5',
      base({type: 'raw', line: 'type=raw,value=x,priority=-5', value: 'x', priority: -5})
    ],
    // README "Extended attributes and default values" lines parse as written.
    [
      'type=sha,enable=true,priority=100,prefix=sha-,suffix=,format=short',
      base({
        type: 'sha',
        line: 'type=sha,enable=true,priority=100,prefix=sha-,suffix=,format=short',
        prefix: 'sha-',
        suffix: ''
      })
    ],
    [
      'type=schedule,enable=true,priority=1000,prefix=,suffix=,pattern=nightly',
      base({
        type: 'schedule',
        line: 'type=schedule,enable=true,priority=1000,prefix=,suffix=,pattern=nightly',
        pattern: 'nightly',
        prefix: '',
        suffix: ''
      })
    ]
  ])('%s', (line, expected) => {
    expect(parseTagRule(line)).toEqual(expected)
  })
})

describe('parseTagRule: fields, quoting and spacing', () => {
  it.each<[string, Partial<TagRule>]>([
    ['type=raw,value="a,b"', {value: 'a,b'}],
    ['"type=raw","value=a,b"', {value: 'a,b'}],
    ['type=raw,value="say ""hi"""', {value: 'say "hi"'}],
    ['type=raw,value=a=b', {value: 'a=b'}],
    [' type = raw , value = spaced ', {value: 'spaced'}],
    ['TYPE=raw,VALUE=upper-keys', {value: 'upper-keys'}],
    ['type=raw,value=trailing,', {value: 'trailing'}],
    ["type=raw,value={{date 'YYYY,MM'}}", {value: "{{date 'YYYY,MM'}}"}],
    ['type=raw,value=it"s', {value: 'it"s'}],
    ['type=match,"pattern=\\d{1,3}"', {pattern: '\\d{1,3}'}]
  ])('%s', (line, expected) => {
    expect(parseTagRule(line)).toMatchObject(expected)
  })
})

describe('parseTagRules', () => {
  it('sorts by priority, higher first, keeping input order for equal priorities', () => {
    const rules = parseTagRules([
      'type=sha',
      'type=raw,value=a',
      'type=ref,event=branch',
      'type=raw,value=b',
      'type=semver,pattern={{version}}',
      'type=schedule',
      'type=raw,value=top,priority=2000'
    ])
    expect(rules.map(r => r.line)).toEqual([
      'type=raw,value=top,priority=2000',
      'type=schedule',
      'type=semver,pattern={{version}}',
      'type=ref,event=branch',
      'type=raw,value=a',
      'type=raw,value=b',
      'type=sha'
    ])
  })

  it('returns no rules for no lines', () => {
    expect(parseTagRules([])).toEqual([])
  })

  it('has metadata-action default priorities', () => {
    expect(DEFAULT_PRIORITY).toEqual({
      schedule: 1000,
      semver: 900,
      pep440: 900,
      match: 800,
      edge: 700,
      ref: 600,
      raw: 200,
      sha: 100
    })
  })
})

describe('parseTagRule: malformed rules name the input, quote the line, say what is expected', () => {
  it.each<[string, string]>([
    [
      'type=foo',
      'Input "tags": rule "type=foo": unknown type "foo"; expected type=schedule, type=semver, type=pep440, type=match, type=edge, type=ref, type=raw, type=sha'
    ],
    ['type=', 'Input "tags": rule "type=": unknown type ""; expected type=schedule, type=semver'],
    [
      'type=raw,value=x,branch=main',
      'Input "tags": rule "type=raw,value=x,branch=main": attribute "branch" is not known for type=raw; it takes enable, priority, prefix, suffix, value'
    ],
    [
      'type=sha,value=x',
      'Input "tags": rule "type=sha,value=x": attribute "value" is not known for type=sha; it takes enable, priority, prefix, suffix, format'
    ],
    [
      'type=ref,event=branch,pattern=x',
      'Input "tags": rule "type=ref,event=branch,pattern=x": attribute "pattern" is not known for type=ref; it takes enable, priority, prefix, suffix, event'
    ],
    [
      'type=edge,foo',
      'Input "tags": rule "type=edge,foo": attribute "value" is not known for type=edge; it takes enable, priority, prefix, suffix, branch'
    ],
    [
      'type=schedule,group=1',
      'Input "tags": rule "type=schedule,group=1": attribute "group" is not known for type=schedule; it takes enable, priority, prefix, suffix, pattern'
    ],
    [
      'type=ref',
      'Input "tags": rule "type=ref": type=ref needs an event; add event=branch, event=tag or event=pr'
    ],
    [
      'type=ref,event=push',
      'Input "tags": rule "type=ref,event=push": event "push" is not known; use event=branch, event=tag or event=pr'
    ],
    [
      'type=match',
      'Input "tags": rule "type=match": type=match needs a pattern; write e.g. type=match,pattern=v(.*),group=1'
    ],
    [
      'type=match,pattern=',
      'Input "tags": rule "type=match,pattern=": type=match needs a pattern; write e.g. type=match,pattern=v(.*),group=1'
    ],
    [
      'type=semver',
      'Input "tags": rule "type=semver": type=semver needs a pattern; write e.g. type=semver,pattern={{version}}'
    ],
    [
      'type=pep440,value=1.0',
      'Input "tags": rule "type=pep440,value=1.0": type=pep440 needs a pattern; write e.g. type=pep440,pattern={{version}}'
    ],
    [
      'type=match,pattern=v(.*),group=one',
      'Input "tags": rule "type=match,pattern=v(.*),group=one": group "one" is not a capture group number; use e.g. group=1'
    ],
    [
      'type=match,pattern=v(.*',
      'Input "tags": rule "type=match,pattern=v(.*": pattern "v(.*" is not a valid regular expression'
    ],
    [
      'type=raw',
      'Input "tags": rule "type=raw": type=raw needs a value; write e.g. type=raw,value=latest (or just latest)'
    ],
    [
      'type=sha,format=medium',
      'Input "tags": rule "type=sha,format=medium": format "medium" is not known; use format=short or format=long'
    ],
    [
      'type=raw,value=x,priority=high',
      'Input "tags": rule "type=raw,value=x,priority=high": priority "high" is not a whole number; use e.g. priority=200'
    ],
    [
      'type=sha,priority=1.5',
      'Input "tags": rule "type=sha,priority=1.5": priority "1.5" is not a whole number; use e.g. priority=100'
    ],
    [
      'type=raw,value=x,priority=',
      'Input "tags": rule "type=raw,value=x,priority=": priority "" is not a whole number; use e.g. priority=200'
    ],
    [
      'type=raw,value=x,enable=yes',
      'Input "tags": rule "type=raw,value=x,enable=yes": enable "yes" must be true or false (or an expression like {{is_default_branch}})'
    ],
    [
      'type=raw,value=a,value=b',
      'Input "tags": rule "type=raw,value=a,value=b": attribute "value" is given twice; give it once'
    ],
    ['a,b', 'Input "tags": rule "a,b": attribute "value" is given twice; give it once'],
    [
      'type=raw,value="a,b',
      'Input "tags": rule "type=raw,value="a,b": it has a quote that is never closed; close it, e.g. value="a,b"'
    ],
    [
      'type=raw,value={{brnch}}',
      'Input "tags": rule "type=raw,value={{brnch}}": {{brnch}} is not a known expression here; use one of {{branch}}, {{tag}}, {{sha}}'
    ],
    [
      'type=raw,value={{version}}',
      'Input "tags": rule "type=raw,value={{version}}": {{version}} is not a known expression here'
    ],
    [
      'type=raw,value={{branch',
      'Input "tags": rule "type=raw,value={{branch": "{{branch" opens {{ but never closes it with }}'
    ],
    [
      'type=schedule,pattern={{date YYYYMMDD}}',
      'Input "tags": rule "type=schedule,pattern={{date YYYYMMDD}}": {{date YYYYMMDD}}: put "YYYYMMDD" in quotes, e.g. {{date \'YYYYMMDD\'}}'
    ],
    [
      'type=raw,value={{}}',
      'Input "tags": rule "type=raw,value={{}}": {{}} is an empty expression'
    ],
    [
      'type=sha,prefix={{major}}-',
      'Input "tags": rule "type=sha,prefix={{major}}-": {{major}} is not a known expression here'
    ],
    ['=x', 'Input "tags": rule "=x": attribute "" is not known for type=raw']
  ])('%s', (line, message) => {
    expect(() => parseTagRule(line)).toThrow(message)
  })

  it('reports the first bad line of several', () => {
    expect(() => parseTagRules(['type=sha', 'type=nope', 'type=bad'])).toThrow('rule "type=nope"')
  })
})
