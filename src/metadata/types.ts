// The metadata stage's result: everything derived from Config + GitContext
// that names and describes the image, before anything is built.

export interface Metadata {
  /** The main version (metadata-action's `version` output): the highest-priority tag. */
  version: string
  /** Tag names (no image), ordered by priority, deduplicated, sanitised. */
  tags: string[]
  /** Full refs: every image x every tag, image-major order. */
  refs: string[]
  /** OCI + user labels, KEY=VALUE, sorted by key. */
  labels: string[]
  /** Annotations, `manifest:KEY=VALUE` style as metadata-action outputs them. */
  annotations: string[]
  /** Warnings produced while deriving (dropped tags, ...), for core.warning. */
  warnings: string[]
}
