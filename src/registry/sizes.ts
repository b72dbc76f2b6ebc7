// Image size per platform for the report, read back from the registry the
// image was pushed to. Only informative: a failure is a warning.
import * as core from '@actions/core'
import {type Config, registryOf} from '../config.js'
import type {PlatformSize, RunReport} from '../report/types.js'
import {platformSizes} from './manifests.js'

export async function readImageSizes(config: Config, report: RunReport): Promise<PlatformSize[]> {
  const ref = report.pushed[0]
  if (!ref || !report.digest) return []
  // Our credentials belong to config.registry; other registries are read anonymously.
  const auth =
    registryOf(ref) === config.registry && config.password
      ? {username: config.username, password: config.password}
      : undefined
  try {
    return await platformSizes(ref, report.digest, auth)
  } catch (error) {
    core.warning(`Image sizes not shown: ${(error as Error).message}`)
    return []
  }
}
