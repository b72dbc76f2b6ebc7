import {describe, expect, it} from '@jest/globals'
import {mergeAnnotations, mergeLabels, ociLabels} from '../../src/metadata/labels.js'
import {globalScope} from '../../src/metadata/scope.js'
import {gitContextBuilders, HELLO_WORLD} from '../fixtures/git-context.js'

const SHA = '90dd6032fac8bda1b6c4436a2e65de27961ed071'
const NOW = new Date('2020-01-10T00:30:00.000Z')

// The README example: the labels of octocat/Hello-World at commit 90dd603.
const {gitContext} = gitContextBuilders({
  sha: SHA,
  headSha: SHA,
  repository: {...HELLO_WORLD, description: 'This your first repo!'}
})

const CTX = gitContext()
const OCI = ociLabels(CTX, '1.2.3', NOW, SHA)
const SCOPE = globalScope(CTX, NOW, SHA)
const GENERATED = [
  'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
  'org.opencontainers.image.description=This your first repo!',
  'org.opencontainers.image.licenses=MIT',
  `org.opencontainers.image.revision=${SHA}`,
  'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
  'org.opencontainers.image.title=Hello-World',
  'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
  'org.opencontainers.image.version=1.2.3'
]

describe('labels', () => {
  it('generates the OCI set, sorted by key (README example values)', () => {
    expect(mergeLabels(OCI, [], SCOPE)).toEqual(GENERATED)
  })

  it('keeps empty values for unknown repository fields', () => {
    const ctx = gitContext({
      repository: {owner: 'o', name: 'r', htmlUrl: '', description: '', license: ''}
    })
    const labels = mergeLabels(ociLabels(ctx, '', NOW, ''), [], SCOPE)
    expect(labels).toContain('org.opencontainers.image.licenses=')
    expect(labels).toContain('org.opencontainers.image.description=')
    expect(labels).toContain('org.opencontainers.image.revision=')
    expect(labels).toHaveLength(8)
  })

  it.each<[string[], string[]]>([
    [['maintainer=CrazyMax'], ['maintainer=CrazyMax']],
    [
      ['org.opencontainers.image.title=MyCustomTitle'],
      ['org.opencontainers.image.title=MyCustomTitle']
    ],
    [
      ['org.opencontainers.image.description=Another description'],
      ['org.opencontainers.image.description=Another description']
    ],
    [['org.opencontainers.image.vendor=MyCompany'], ['org.opencontainers.image.vendor=MyCompany']],
    [['a=b=c'], ['a=b=c']],
    [['empty='], ['empty=']],
    [[' spaced = value '], ['spaced= value ']],
    [['x=1', 'x=2'], ['x=2']],
    [["built={{date 'YYYYMMDD'}}"], ['built=20200110']],
    [
      ["org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}"],
      ['org.opencontainers.image.created=2020-01-09T15:25:50.000Z']
    ],
    [['branch={{branch}}@{{sha}}'], ['branch=main@90dd603']]
  ])('user labels %j win or add', (user, expected) => {
    const labels = mergeLabels(OCI, user, SCOPE)
    for (const label of expected) expect(labels).toContain(label)
    const keys = labels.map(l => l.slice(0, l.indexOf('=')))
    expect(keys).toEqual([...new Set(keys)].sort())
  })

  it('overrides the OCI value rather than adding a second one', () => {
    const labels = mergeLabels(OCI, ['org.opencontainers.image.title=MyCustomTitle'], SCOPE)
    expect(labels.filter(l => l.startsWith('org.opencontainers.image.title='))).toEqual([
      'org.opencontainers.image.title=MyCustomTitle'
    ])
  })

  it.each<[string, string]>([
    [
      'maintainer',
      'Input "labels": "maintainer" is not KEY=VALUE; write e.g. org.opencontainers.image.vendor=ACME'
    ],
    ['=value', 'Input "labels": "=value" is not KEY=VALUE'],
    ['x={{nope}}', 'Input "labels": "x={{nope}}": {{nope}} is not a known expression here']
  ])('rejects %j', (line, message) => {
    expect(() => mergeLabels(OCI, [line], SCOPE)).toThrow(message)
  })
})

describe('annotations', () => {
  it('puts the OCI set at the manifest level', () => {
    expect(mergeAnnotations(OCI, [], SCOPE)).toEqual(GENERATED.map(a => `manifest:${a}`))
  })

  it.each<[string, string]>([
    ['org.opencontainers.image.title=Custom', 'manifest:org.opencontainers.image.title=Custom'],
    [
      'manifest:org.opencontainers.image.title=Custom',
      'manifest:org.opencontainers.image.title=Custom'
    ],
    ['index:org.opencontainers.image.vendor=ACME', 'index:org.opencontainers.image.vendor=ACME'],
    ['manifest-descriptor:com.example.a=1', 'manifest-descriptor:com.example.a=1'],
    ['index-descriptor:com.example.a=1', 'index-descriptor:com.example.a=1'],
    ['manifest[linux/amd64]:com.example.a=1', 'manifest[linux/amd64]:com.example.a=1'],
    ['com.example.a=1', 'manifest:com.example.a=1'],
    ['com.example:a=1', 'manifest:com.example:a=1'],
    ['built={{date "YYYY"}}', 'manifest:built=2020']
  ])('%s -> %s', (line, expected) => {
    expect(mergeAnnotations(OCI, [line], SCOPE)).toContain(expected)
  })

  it('a user annotation without level overrides the generated one', () => {
    const annotations = mergeAnnotations(OCI, ['org.opencontainers.image.title=Custom'], SCOPE)
    expect(annotations.filter(a => a.includes('image.title='))).toEqual([
      'manifest:org.opencontainers.image.title=Custom'
    ])
  })

  it('an index annotation sits next to the manifest one, sorted by key', () => {
    const annotations = mergeAnnotations(OCI, ['index:org.opencontainers.image.title=Idx'], SCOPE)
    expect(annotations[0]).toBe('index:org.opencontainers.image.title=Idx')
    expect(annotations).toContain('manifest:org.opencontainers.image.title=Hello-World')
    expect(annotations).toHaveLength(9)
  })

  it.each<[string, string]>([
    [
      'novalue',
      'Input "annotations": "novalue" is not KEY=VALUE; write e.g. index:org.opencontainers.image.vendor=ACME'
    ],
    ['index:=x', 'Input "annotations": "index:=x" is not KEY=VALUE']
  ])('rejects %j', (line, message) => {
    expect(() => mergeAnnotations(OCI, [line], SCOPE)).toThrow(message)
  })
})
