// The metadata stage: Config's tag rules, flavor, labels and annotations plus
// the GitContext -> tags, refs, labels, annotations and the version. Pure:
// `now` is the build time (dev-* tags, {{date}}, the created label).
import type {GitContext} from '../context.js'
import {defaultTags} from './defaults.js'
import type {Flavor} from './flavor.js'
import {effectiveSha} from './git.js'
import {mergeAnnotations, mergeLabels, ociLabels} from './labels.js'
import type {TagRule} from './rules.js'
import {globalScope} from './scope.js'
import {tagsFromRules} from './tags.js'
import type {Metadata} from './types.js'

export interface MetadataInput {
  images: string[]
  /** Empty: the default strategy of DESIGN.md. */
  tagRules: TagRule[]
  flavor: Flavor
  labels: string[]
  annotations: string[]
  /** e.g. prod: the default strategy adds prod-<version> for semver tags. */
  environment: string
  /**
   * metadata-action's DOCKER_METADATA_PR_HEAD_SHA: on pull requests, name the
   * PR head commit instead of the merge commit in rule tags ({{sha}},
   * type=sha) and the revision label. Default false, like metadata-action.
   */
  prHeadSha?: boolean
}

export function computeMetadata(input: MetadataInput, ctx: GitContext, now: Date): Metadata {
  const sha = effectiveSha(ctx, input.prHeadSha ?? false)
  const result =
    input.tagRules.length > 0
      ? tagsFromRules(input.tagRules, input.flavor, ctx, now, sha)
      : defaultTags(ctx, now, input.environment, input.flavor)
  const warnings = [...result.warnings]
  if (result.tags.length === 0) {
    warnings.push(
      `No tag was produced for event "${ctx.eventName}" on ${ctx.ref || 'no ref'}; check the "tags" input`
    )
  }
  const scope = globalScope(ctx, now, sha)
  const oci = ociLabels(ctx, result.version, now, sha)
  return {
    version: result.version,
    tags: result.tags,
    refs: imageRefs(input.images, result.tags),
    labels: mergeLabels(oci, input.labels, scope),
    annotations: mergeAnnotations(oci, input.annotations, scope),
    warnings
  }
}

/** Every image x every tag, image-major; bare tags when there is no image (like metadata-action). */
export function imageRefs(images: string[], tags: string[]): string[] {
  if (images.length === 0) return [...tags]
  return images.flatMap(image => tags.map(tag => `${image}:${tag}`))
}

export type {Metadata} from './types.js'
export type {Flavor} from './flavor.js'
export type {TagRule} from './rules.js'
export {parseFlavor, defaultFlavor} from './flavor.js'
export {parseTagRules} from './rules.js'
