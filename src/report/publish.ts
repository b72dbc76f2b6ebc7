// The report's effects, at the end of every run (success or not): image
// sizes read back from the registry, the job summary, the ntfy message.
// None of them may fail the build.
import * as core from '@actions/core'
import type {Config} from '../config.js'
import {ntfyMessage, sendNtfy} from './ntfy.js'
import {writeSummary} from './summary.js'
import {readImageSizes} from '../registry/sizes.js'
import type {RunReport} from './types.js'

export async function publishReport(
  report: RunReport,
  config: Config | undefined,
  secrets: string[]
): Promise<void> {
  if (config && report.ok) report.sizes = await readImageSizes(config, report)
  if (config?.summary ?? true) {
    await writeSummary(report, secrets).catch((e: Error) =>
      core.warning(`Job summary not written: ${e.message}`)
    )
  }
  const message = config && ntfyMessage(report, config.ntfy, secrets)
  if (message) await sendNtfy(message, m => core.warning(m))
}
