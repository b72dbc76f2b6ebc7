// The contract users read (README tables) and the one the runner reads
// (action.yml) name the same inputs and outputs, and config reads them all.
import {describe, expect, it} from '@jest/globals'
import {readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {parseConfig} from '../../src/config.js'

const root = resolve(import.meta.dirname, '..', '..')
const actionYml = readFileSync(join(root, 'action.yml'), 'utf8')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

function yamlKeys(section: 'inputs' | 'outputs'): string[] {
  const start = actionYml.indexOf(`\n${section}:\n`)
  const rest = actionYml.slice(start + section.length + 3)
  const block = rest.slice(0, rest.search(/\n\S/))
  return [...block.matchAll(/^ {2}([a-z-]+):/gm)].map(m => m[1])
}

function readmeKeys(section: 'inputs' | 'outputs'): string[] {
  const block = readme.slice(
    readme.indexOf(`<!-- ${section}:start`),
    readme.indexOf(`<!-- ${section}:end`)
  )
  return [...block.matchAll(/^\| `([a-z-]+)` \|/gm)].map(m => m[1])
}

describe('documented contract', () => {
  it.each(['inputs', 'outputs'] as const)('README lists the same %s as action.yml', section => {
    expect(yamlKeys(section).length).toBeGreaterThan(5)
    expect(readmeKeys(section)).toEqual(yamlKeys(section))
  })

  it('config reads every input action.yml declares, and no other', () => {
    const read = new Set<string>()
    parseConfig(
      name => {
        read.add(name)
        return ''
      },
      {GITHUB_REPOSITORY: 'o/r'}
    )
    expect([...read].sort()).toEqual(yamlKeys('inputs').sort())
  })

  it('declares node24 and separate main and post bundles', () => {
    expect(actionYml).toMatch(/using: 'node24'/)
    expect(actionYml).toMatch(/main: 'dist\/index.js'/)
    expect(actionYml).toMatch(/post: 'dist\/post\/index.js'/)
  })
})
