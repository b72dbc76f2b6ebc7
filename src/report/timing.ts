// Phase timings for the report: run fn, add its duration to report.phases.
import type {Phase, RunReport} from './types.js'

export async function timed<T>(report: RunReport, phase: Phase, fn: () => Promise<T>): Promise<T> {
  const start = Date.now()
  try {
    return await fn()
  } finally {
    report.phases[phase] = (report.phases[phase] ?? 0) + Date.now() - start
  }
}
