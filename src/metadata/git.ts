// Small readings of GitContext that several tag rules share, so each rule
// asks "is this a tag build?" the same way.
import type {GitContext} from '../context.js'

export const SHORT_SHA_LENGTH = 7

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH)
}

export function isPullRequest(ctx: GitContext): boolean {
  return ctx.refKind === 'pull' || ctx.prNumber > 0
}

/** The PR number, from the context or from a refs/pull/N/... ref; 0 when not a PR. */
export function pullNumber(ctx: GitContext): number {
  if (ctx.prNumber > 0) return ctx.prNumber
  const m = /^refs\/pull\/(\d+)\//.exec(ctx.ref)
  return m ? Number(m[1]) : 0
}

/** Branch name of a branch build; '' for tags and pull requests (like metadata-action). */
export function branchName(ctx: GitContext): string {
  return ctx.refKind === 'branch' ? ctx.branch : ''
}

/** Tag name of a tag push or published release; '' otherwise. */
export function tagName(ctx: GitContext): string {
  return isPullRequest(ctx) ? '' : ctx.tag
}

/**
 * The commit that tags and labels name. metadata-action uses the commit that
 * triggered the run (for PRs GitHub's merge commit) unless its
 * DOCKER_METADATA_PR_HEAD_SHA is set; `prHeadSha` is that switch.
 */
export function effectiveSha(ctx: GitContext, prHeadSha: boolean): string {
  return prHeadSha && isPullRequest(ctx) && ctx.headSha !== '' ? ctx.headSha : ctx.sha
}
