// The report's effects, at the end of every run (success or not): the job
// summary, then the ntfy message. Neither may fail the build.
import * as core from '@actions/core'
import type {Config} from '../config.js'
import {ntfyMessage, sendNtfy} from './ntfy.js'
import {writeSummary} from './summary.js'
import type {RunReport} from './types.js'

export async function publishReport(
  report: RunReport,
  config: Config | undefined,
  secrets: string[]
): Promise<void> {
  if (config?.summary ?? true) {
    await writeSummary(report, secrets).catch((e: Error) =>
      core.warning(`Job summary not written: ${e.message}`)
    )
  }
  const message = config && ntfyMessage(report, config.ntfy, secrets)
  if (message) await sendNtfy(message, m => core.warning(m))
}
