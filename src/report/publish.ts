// The report's effects, at the end of every run (success or not): image
// sizes read back from the registry, the job summary, the ntfy message.
// None of them may fail the build.
import * as core from '@actions/core'
import type {Config} from '../config.js'
import {ntfyMessage, sendNtfy} from './ntfy.js'
import {formatBytes, writeSummary} from './summary.js'
import {readImageSizes} from '../registry/sizes.js'
import type {RunReport} from './types.js'

export async function publishReport(
  report: RunReport,
  config: Config | undefined,
  secrets: string[]
): Promise<void> {
  if (config && report.ok) report.sizes = await readImageSizes(config, report)
  for (const size of report.sizes)
    core.info(`Image size ${size.platform}: ${formatBytes(size.bytes)}`)
  if (config?.summary ?? true) {
    await writeSummary(report, secrets).then(
      () => core.info('Job summary written'),
      (e: Error) => core.warning(`Job summary not written: ${e.message}`)
    )
  }
  const message = config && ntfyMessage(report, config.ntfy, secrets)
  if (message && (await sendNtfy(message, m => core.warning(m)))) {
    core.info(`ntfy notification sent to ${new URL(message.url).origin}`)
  }
}
