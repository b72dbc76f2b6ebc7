// Step outputs: the names of action.yml's `outputs`, set in one place.
import * as core from '@actions/core'
import type {Metadata} from '../metadata/types.js'
import type {BuildResult} from '../build/index.js'
import type {ActiveBuilder} from '../builder/index.js'

export function setMetadataOutputs(meta: Metadata): void {
  core.setOutput('tags', meta.refs.join('\n'))
  core.setOutput('labels', meta.labels.join('\n'))
  core.setOutput('annotations', meta.annotations.join('\n'))
  core.setOutput('version', meta.version)
  core.setOutput('json', JSON.stringify(metadataJson(meta)))
}

/** The `json` output, shaped like docker/metadata-action's. */
export function metadataJson(meta: Metadata): {
  tags: string[]
  labels: Record<string, string>
  annotations: string[]
} {
  return {tags: meta.refs, labels: keyValues(meta.labels), annotations: meta.annotations}
}

function keyValues(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const eq = line.indexOf('=')
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

export function setBuildOutputs(result: BuildResult): void {
  core.setOutput('digest', result.digest)
  core.setOutput('imageid', result.imageid)
  core.setOutput('metadata', JSON.stringify(result.metadata))
  core.setOutput('platforms', result.platforms.join(','))
}

/** Set as soon as a builder is chosen, so a failed build still says where it ran. */
export function setBuilderOutputs(builder: ActiveBuilder): void {
  core.setOutput('builder', builder.kind)
  core.setOutput('builder-endpoint', builder.endpoint)
}
