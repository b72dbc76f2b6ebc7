// GitHub event -> GitContext: one normalised view of "what triggered this run",
// so the tag engine never reads raw payloads or env vars itself.
import * as fs from 'node:fs'

/** What kind of Git ref the run is for. */
export type RefKind = 'branch' | 'tag' | 'pull' | 'other'

export interface RepositoryInfo {
  owner: string
  name: string
  /** https://github.com/owner/name */
  htmlUrl: string
  description: string
  /** SPDX id of the license from the payload, '' when unknown. */
  license: string
}

export interface GitContext {
  /** GITHUB_EVENT_NAME: push, pull_request, pull_request_target, release, workflow_dispatch, schedule, merge_group, ... */
  eventName: string
  /** Full ref: refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string
  refKind: RefKind
  /** Branch name for branch refs (and for pull requests: the PR head branch); '' otherwise. */
  branch: string
  /** Tag name for tag refs and published releases; '' otherwise. */
  tag: string
  /** The commit the workflow runs on (GITHUB_SHA; for PRs the merge commit). */
  sha: string
  /** For pull requests: the PR head commit; otherwise same as sha. */
  headSha: string
  /** Pull request number, 0 when not a PR event. */
  prNumber: number
  /** PR base branch (GITHUB_BASE_REF / payload), '' otherwise. */
  baseRef: string
  /** Default branch from the event payload's repository, '' when unknown. */
  defaultBranch: string
  /** True for a pull request whose head repo differs from the base repo. */
  isFork: boolean
  repository: RepositoryInfo
  actor: string
  /** https://github.com/owner/repo/actions/runs/ID, '' when unknown. */
  runUrl: string
  /** Time of the commit (head commit / PR head) or now; used by {{date}} and dev-* tags. */
  commitDate: Date
}

// ---------------------------------------------------------------------------
// gitContextFromEvent is pure: env (the GITHUB_* variables) plus the event
// payload. Every field works from env alone (a missing or empty event file),
// and the payload refines what env cannot say: PR head sha and fork, release
// tag, default branch, repository details, commit time.

type Env = Record<string, string | undefined>

const ZERO_SHA = /^0+$/

export function gitContextFromEvent(env: Env, payload: unknown, now: Date): GitContext {
  const p = payload ?? {}
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  // pull_request, pull_request_target, pull_request_review, ...: all carry payload.pull_request.
  const isPr = eventName.startsWith('pull_request')
  const prNumber = isPr
    ? num(p, 'number') || num(p, 'pull_request.number') || prFromRef(env.GITHUB_REF ?? '')
    : 0
  const ref = resolveRef(env, p, eventName, prNumber)
  const refKind: RefKind = isPr ? 'pull' : kindOf(ref)
  const sha = resolveSha(env, p, eventName)
  const repository = repositoryInfo(env, p)
  return {
    eventName,
    ref,
    refKind,
    branch: isPr ? env.GITHUB_HEAD_REF || str(p, 'pull_request.head.ref') : branchOf(ref),
    tag: eventName === 'release' ? str(p, 'release.tag_name') || tagOf(ref) : tagOf(ref),
    sha,
    headSha: (isPr && str(p, 'pull_request.head.sha')) || sha,
    prNumber,
    baseRef: isPr ? env.GITHUB_BASE_REF || str(p, 'pull_request.base.ref') : '',
    defaultBranch: str(p, 'repository.default_branch'),
    isFork: isPr && isForkPr(p),
    repository,
    actor: env.GITHUB_ACTOR || str(p, 'sender.login'),
    runUrl: runUrl(env, repository),
    commitDate: commitDate(p, sha, now)
  }
}

/** The reader: env from process.env, payload from GITHUB_EVENT_PATH ({} when absent). */
export function readGitContext(): GitContext {
  return gitContextFromEvent(
    process.env,
    readPayload(process.env.GITHUB_EVENT_PATH ?? ''),
    new Date()
  )
}

function readPayload(path: string): unknown {
  if (!path || !fs.existsSync(path)) return {}
  return JSON.parse(fs.readFileSync(path, 'utf8'))
}

function resolveRef(env: Env, p: unknown, eventName: string, prNumber: number): string {
  // pull_request_target runs on the base branch (GITHUB_REF refs/heads/main);
  // like metadata-action, describe it by the pull request it is about.
  if (eventName === 'pull_request_target' && prNumber > 0) return `refs/pull/${prNumber}/merge`
  let ref = env.GITHUB_REF || str(p, 'ref') || str(p, 'merge_group.head_ref')
  // Some events give an unqualified branch name (actions/checkout handles the same).
  if (ref && !ref.startsWith('refs/')) ref = `refs/heads/${ref}`
  const releaseTag = eventName === 'release' ? str(p, 'release.tag_name') : ''
  if (releaseTag && !ref.startsWith('refs/tags/')) ref = `refs/tags/${releaseTag}`
  return ref
}

function resolveSha(env: Env, p: unknown, eventName: string): string {
  if (eventName === 'merge_group') return str(p, 'merge_group.head_sha') || env.GITHUB_SHA || ''
  const after = str(p, 'after')
  return env.GITHUB_SHA || (ZERO_SHA.test(after) ? '' : after) || str(p, 'head_commit.id')
}

function kindOf(ref: string): RefKind {
  if (ref.startsWith('refs/heads/')) return 'branch'
  if (ref.startsWith('refs/tags/')) return 'tag'
  if (ref.startsWith('refs/pull/')) return 'pull'
  return 'other'
}

function branchOf(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice(11) : ''
}

function tagOf(ref: string): string {
  return ref.startsWith('refs/tags/') ? ref.slice(10) : ''
}

function prFromRef(ref: string): number {
  const m = /^refs\/pull\/(\d+)\//.exec(ref)
  return m ? Number(m[1]) : 0
}

/**
 * A PR is from a fork when its head repository is not the base repository.
 * head.repo.fork is not the test: it is true for any PR inside a repository
 * that is itself a fork. A null head.repo means the fork was deleted. Without
 * a payload it cannot be told; same-repo is assumed (push then fails loudly
 * for lack of credentials rather than silently never pushing).
 */
function isForkPr(p: unknown): boolean {
  const pr = get(p, 'pull_request')
  if (!pr) return false
  const head = get(pr, 'head.repo')
  if (head === null) return true
  const headName = str(head, 'full_name').toLowerCase()
  const baseName = (str(pr, 'base.repo.full_name') || str(p, 'repository.full_name')).toLowerCase()
  return headName !== '' && baseName !== '' && headName !== baseName
}

function repositoryInfo(env: Env, p: unknown): RepositoryInfo {
  const fullName = env.GITHUB_REPOSITORY || str(p, 'repository.full_name')
  const [owner = '', name = ''] = fullName.split('/')
  const license = str(p, 'repository.license.spdx_id')
  return {
    owner,
    name,
    htmlUrl: str(p, 'repository.html_url') || (fullName ? `${serverUrl(env)}/${fullName}` : ''),
    description: str(p, 'repository.description'),
    // NOASSERTION is GitHub's "could not tell", not a license.
    license: license === 'NOASSERTION' ? '' : license
  }
}

function serverUrl(env: Env): string {
  return (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
}

function runUrl(env: Env, repo: RepositoryInfo): string {
  if (!env.GITHUB_RUN_ID || !repo.owner || !repo.name) return ''
  return `${serverUrl(env)}/${repo.owner}/${repo.name}/actions/runs/${env.GITHUB_RUN_ID}`
}

/**
 * Only a push says when its head commit was made (head_commit); other events
 * do not, so: now. The head commit must be the one built.
 */
function commitDate(p: unknown, sha: string, now: Date): Date {
  const id = str(p, 'head_commit.id')
  const date = new Date(str(p, 'head_commit.timestamp'))
  if (id && (id === sha || !sha) && !isNaN(date.getTime())) return date
  return now
}

// --- reading untyped JSON safely --------------------------------------------

/** The value at a dotted path, undefined when any step is missing (null stays null). */
function get(root: unknown, path: string): unknown {
  let value: unknown = root
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

function str(root: unknown, path: string): string {
  const value = get(root, path)
  return typeof value === 'string' ? value : ''
}

function num(root: unknown, path: string): number {
  const value = get(root, path)
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0
}
