// The pipeline of DESIGN.md: inputs -> Config -> GitContext -> Metadata ->
// plan -> builder -> build -> report. run() owns the try/catch.
import * as core from '@actions/core'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type Config, readConfig} from './config.js'
import {readGitContext} from './context.js'
import {computeMetadata} from './metadata/index.js'
import type {Metadata} from './metadata/types.js'
import {decidePush} from './build/push.js'
import {buildImage} from './build/index.js'
import {login, LoginError} from './registry/login.js'
import {trackForCleanup} from './cleanup.js'
import {setBuildOutputs, setMetadataOutputs} from './report/outputs.js'
import {publishReport} from './report/publish.js'
import {type FailureKind, newReport, type RunReport} from './report/types.js'
import {timed} from './report/timing.js'
import {BuilderUnavailable} from './builder/remote.js'
import {BuildFailure} from './build/run.js'

export async function run(): Promise<void> {
  const started = Date.now()
  const report = newReport()
  let config: Config | undefined
  let secrets: string[] = []
  try {
    const read = readConfig()
    config = read.config
    secrets = read.secrets
    read.notices.forEach(n => core.notice(n))
    report.dryRun = config.dryRun
    const ctx = (report.ctx = readGitContext())
    const meta = (report.meta = computeMetadata(config, ctx, new Date()))
    meta.warnings.forEach(w => core.warning(w))
    setMetadataOutputs(meta)
    logMetadata(meta)
    const push = decidePush(config, ctx)
    report.notPushedReason = push.reason
    if (config.dryRun) core.notice('Dry run: tags and labels computed; nothing built or pushed')
    else await loginAndBuild(config, meta, push.push, report)
    report.ok = true
  } catch (error) {
    fail(report, error)
  } finally {
    report.durationMs = Date.now() - started
    await core.group('Report', () => publishReport(report, config, secrets))
  }
}

function logMetadata(meta: Metadata): void {
  core.info(`Tags:\n${meta.refs.map(r => `  ${r}`).join('\n')}`)
  core.startGroup('Labels and annotations')
  meta.labels.forEach(l => core.info(l))
  meta.annotations.forEach(a => core.info(a))
  core.endGroup()
}

async function loginAndBuild(
  config: Config,
  meta: Metadata,
  push: boolean,
  report: RunReport
): Promise<void> {
  if (!push) core.warning(`Not pushing: ${report.notPushedReason}`)
  if (push && config.password) {
    await core.group(`Log in to ${config.registry}`, () =>
      timed(report, 'login', () => login(config.registry, config.username, config.password))
    )
    trackForCleanup('logins', config.registry)
  }
  const tempDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'k8s-build-'))
  trackForCleanup('dirs', tempDir)
  const result = await buildImage({config, meta, push, tempDir, report})
  setBuildOutputs(result)
}

function fail(report: RunReport, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  report.failure = {kind: failureKind(error, report), message}
  if (error instanceof BuildFailure) {
    report.failure.logTail = error.logTail
    if (error.location) {
      report.failure.file = error.location.file
      report.failure.line = error.location.line
    }
  }
  if (report.failure.file) {
    // One error annotation, at the Dockerfile line (setFailed would add a second).
    process.exitCode = core.ExitCode.Failure
    core.error(message, {
      title: 'Dockerfile error',
      file: report.failure.file,
      startLine: report.failure.line
    })
  } else {
    core.setFailed(message)
  }
}

function failureKind(error: unknown, report: RunReport): FailureKind {
  if (error instanceof BuildFailure) return error.kind
  if (error instanceof LoginError) return 'login'
  if (error instanceof BuilderUnavailable) return 'builder'
  return report.meta ? 'internal' : 'input'
}
