// Where the buildx plugin binary is looked for (docker's own order on Linux).
import {describe, expect, it} from '@jest/globals'
import {homedir} from 'node:os'
import {pluginDirs} from '../../src/docker.js'

describe('pluginDirs', () => {
  it('puts $DOCKER_CONFIG/cli-plugins first, then the system dirs', () => {
    expect(pluginDirs({DOCKER_CONFIG: '/tmp/cfg'})).toEqual([
      '/tmp/cfg/cli-plugins',
      '/usr/local/lib/docker/cli-plugins',
      '/usr/local/libexec/docker/cli-plugins',
      '/usr/lib/docker/cli-plugins',
      '/usr/libexec/docker/cli-plugins'
    ])
  })

  it('falls back to ~/.docker/cli-plugins without DOCKER_CONFIG', () => {
    expect(pluginDirs({})[0]).toBe(`${homedir()}/.docker/cli-plugins`)
  })
})
