import {describe, expect, it} from '@jest/globals'
import {defaultFlavor, parseFlavor, type Flavor} from '../../src/metadata/flavor.js'

const flavor = (over: Partial<Flavor>): Flavor => ({...defaultFlavor(), ...over})

describe('parseFlavor', () => {
  it('defaults to latest=auto and no affixes', () => {
    expect(parseFlavor([])).toEqual({
      latest: 'auto',
      prefix: '',
      prefixLatest: false,
      suffix: '',
      suffixLatest: false
    })
  })

  it.each<[string[], Flavor]>([
    [['latest=auto'], flavor({latest: 'auto'})],
    [['latest=true'], flavor({latest: true})],
    [['latest=false'], flavor({latest: false})],
    [['prefix=app-'], flavor({prefix: 'app-'})],
    [['suffix=-alpine'], flavor({suffix: '-alpine'})],
    [['prefix=app-,onlatest=true'], flavor({prefix: 'app-', prefixLatest: true})],
    [['suffix=-alpine,onlatest=true'], flavor({suffix: '-alpine', suffixLatest: true})],
    [['suffix=-alpine,onlatest=false'], flavor({suffix: '-alpine'})],
    [
      ['latest=false', 'prefix=a-,onlatest=true', 'suffix=-z'],
      flavor({latest: false, prefix: 'a-', prefixLatest: true, suffix: '-z'})
    ],
    // README: the documented defaults, written out.
    [['latest=auto', 'prefix=', 'suffix='], flavor({})],
    [
      ['prefix=a-,onlatest=true,suffix=-z,onlatest=false'],
      flavor({prefix: 'a-', prefixLatest: true, suffix: '-z'})
    ],
    [['prefix={{branch}}-'], flavor({prefix: '{{branch}}-'})],
    [['prefix="a,b-"'], flavor({prefix: 'a,b-'})],
    [['LATEST=true'], flavor({latest: true})],
    [['latest=true', 'latest=false'], flavor({latest: false})]
  ])('%j', (lines, expected) => {
    expect(parseFlavor(lines)).toEqual(expected)
  })

  it.each<[string, string]>([
    [
      'latest=yes',
      'Input "flavor": "latest=yes": latest "yes" is not known; use latest=auto, latest=true or latest=false'
    ],
    [
      'latest',
      'Input "flavor": "latest": each entry is key=value; use latest=, prefix= or suffix='
    ],
    [
      'onlatest=true',
      'Input "flavor": "onlatest=true": onlatest must follow prefix= or suffix= on its line'
    ],
    [
      'prefix=a,onlatest=maybe',
      'Input "flavor": "prefix=a,onlatest=maybe": onlatest "maybe" must be true or false'
    ],
    [
      'tag=x',
      'Input "flavor": "tag=x": "tag" is not a flavor; use latest=auto|true|false, prefix=... or suffix=...'
    ],
    [
      'prefix={{nope}}-',
      'Input "flavor": "prefix={{nope}}-": {{nope}} is not a known expression here'
    ],
    ['prefix="a', 'Input "flavor": "prefix="a": it has a quote that is never closed; close it']
  ])('%s is rejected', (line, message) => {
    expect(() => parseFlavor([line])).toThrow(message)
  })
})
