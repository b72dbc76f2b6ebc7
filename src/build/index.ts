// Plan -> builder -> build, with the one retry DESIGN.md allows: when the
// remote BuildKit connection is lost mid-build, build again on the runner.
import * as core from '@actions/core'
import {join} from 'node:path'
import type {Config} from '../config.js'
import type {Metadata} from '../metadata/types.js'
import {type ActiveBuilder, chooseBuilder, localBuilder} from '../builder/index.js'
import {inspectBuilder, type NodeInfo} from '../builder/inspect.js'
import type {RunReport} from '../report/types.js'
import {timed} from '../report/timing.js'
import {setBuilderOutputs} from '../report/outputs.js'
import {planBuild} from './plan.js'
import {type BuildOutcome, BuildFailure, runBuild} from './run.js'

export interface BuildRequest {
  config: Config
  meta: Metadata
  push: boolean
  tempDir: string
  report: RunReport
}

export interface BuildResult extends BuildOutcome {
  builder: ActiveBuilder
  platforms: string[]
}

export async function buildImage(req: BuildRequest): Promise<BuildResult> {
  const {config, report} = req
  const warn = (m: string): void => core.warning(m)
  let builder = await core.group('Builder', async () => {
    const chosen = await timed(report, 'builder', () => chooseBuilder(config, req.tempDir, warn))
    core.info(
      `buildx builder ${chosen.name} (${chosen.kind}): ${chosen.endpoint.replace(/\n/g, ', ')}`
    )
    return chosen
  })
  try {
    return await buildOn(builder, req)
  } catch (error) {
    if (
      !(error instanceof BuildFailure) ||
      error.kind !== 'builder' ||
      builder.kind !== 'remote' ||
      !config.fallback
    ) {
      throw withDockerfilePath(error, config)
    }
    warn(
      `Lost the remote BuildKit host during the build (${error.message}); retrying once with buildx on the runner`
    )
    builder = await timed(report, 'builder', () =>
      localBuilder(config, `connection lost during the build: ${error.message}`, warn)
    )
    return await buildOn(builder, req).catch(e => {
      throw withDockerfilePath(e, config)
    })
  }
}

async function buildOn(builder: ActiveBuilder, req: BuildRequest): Promise<BuildResult> {
  const {config, meta, report} = req
  // Who builds is reported even if the build then fails.
  report.builder = {...builder, nodes: []}
  setBuilderOutputs(builder)
  const files = {
    metadataFile: join(req.tempDir, 'metadata.json'),
    iidFile: join(req.tempDir, 'iid')
  }
  const plan = planBuild({config, meta, push: req.push, builder: builder.name, ...files})
  Object.values(plan.env).forEach(secret => core.setSecret(secret))
  if (builder.kind === 'remote' && config.buildkitHosts.length > 1 && plan.cacheTo.length > 0) {
    // Each node exports the cache to the same ref; the last one wins (docker/buildx#1044).
    core.notice(
      "Several BuildKit hosts export cache to the same ref: it keeps the last node's layers only, so the other platforms reuse less of it next time"
    )
  }
  // Inspecting only feeds the log and report, so it runs alongside the build,
  // started once buildx has printed its first line: starting both CLIs at
  // once makes them compete for the CPU (~90 ms on 2 cores).
  let nodes: Promise<NodeInfo[]> | undefined
  const onLine = (line: string): void => {
    nodes ??= inspectBuilder(builder.name)
    core.info(line)
  }
  core.startGroup(
    `Build on ${builder.kind === 'remote' ? builder.endpoint.replace(/\n/g, ', ') : `the runner (${builder.name})`}`
  )
  let outcome: BuildOutcome
  try {
    outcome = await timed(report, 'build', () => runBuild(plan, files, onLine))
  } finally {
    core.endGroup()
    report.builder.nodes = await (nodes ?? inspectBuilder(builder.name))
    logNodes(report)
  }
  outcome.cacheMisses.forEach(m => core.warning(m))
  // The push happens inside the build; report it as its own phase.
  if (plan.push) {
    report.phases.push = outcome.exportMs
    report.phases.build = Math.max(0, (report.phases.build ?? 0) - outcome.exportMs)
  }
  const platforms =
    config.platforms.length > 0
      ? config.platforms
      : (report.builder.nodes[0]?.platforms.slice(0, 1) ?? [])
  report.platforms = platforms
  report.cache = outcome.cache
  report.digest = outcome.digest
  report.pushed = plan.push ? meta.refs : []
  return {...outcome, builder, platforms}
}

function logNodes(report: RunReport): void {
  for (const node of report.builder?.nodes ?? []) {
    core.info(
      `BuildKit ${node.buildkitVersion || '(unknown version)'} on ${node.endpoint}: ${node.platforms.join(', ')}`
    )
  }
}

/** buildx names the Dockerfile by its base name; annotations need the path in the repository. */
function withDockerfilePath(error: unknown, config: Config): unknown {
  if (!(error instanceof BuildFailure) || !error.location) return error
  const path = config.file || join(config.context || '.', 'Dockerfile')
  return new BuildFailure(error.kind, error.message, error.logTail, {...error.location, file: path})
}
