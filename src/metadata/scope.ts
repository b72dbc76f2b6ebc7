// The global expressions metadata-action offers in `value`, `prefix`,
// `suffix`, `enable`, labels and annotations, computed from GitContext.
import {createRequire} from 'node:module'
import type momentTimezone from 'moment-timezone'
import type {GitContext} from '../context.js'
import {branchName, isPullRequest, shortSha, tagName} from './git.js'
import type {Helper, Scope} from './template.js'

export const GLOBAL_NAMES = [
  'branch',
  'tag',
  'sha',
  'base_ref',
  'is_default_branch',
  'date',
  'commit_date'
]

export function globalScope(ctx: GitContext, now: Date, sha: string): Scope {
  return {
    branch: branchName(ctx),
    tag: tagName(ctx),
    sha: shortSha(sha),
    base_ref: baseRef(ctx),
    is_default_branch: String(isDefaultBranch(ctx)),
    date: dateHelper('date', now),
    commit_date: dateHelper('commit_date', ctx.commitDate)
  }
}

/** PR base branch, or the push payload's base_ref for tags; '' for branches. */
function baseRef(ctx: GitContext): string {
  if (tagName(ctx) === '' && !isPullRequest(ctx)) return ''
  return ctx.baseRef.replace(/^refs\/heads\//, '')
}

// Events that always run on the default branch's last commit (metadata-action
// treats them as the default branch too).
const DEFAULT_BRANCH_EVENTS = /create|discussion|issues|schedule/

export function isDefaultBranch(ctx: GitContext): boolean {
  const branch = branchName(ctx)
  if (branch !== '' && branch === ctx.defaultBranch) return true
  return ctx.ref !== '' && !isPullRequest(ctx) && DEFAULT_BRANCH_EVENTS.test(ctx.eventName)
}

/** `{{date 'FORMAT' tz='Zone'}}`: moment format tokens, UTC unless tz is given. */
export function dateHelper(name: string, date: Date): Helper {
  return (args, options) => {
    if (args.length !== 1) {
      throw new Error(`{{${name}}} needs one format in quotes, e.g. {{${name} 'YYYYMMDD'}}`)
    }
    const extra = Object.keys(options).filter(k => k !== 'tz')
    if (extra.length > 0) {
      throw new Error(`{{${name}}} knows only tz='Zone', not ${extra.join(', ')}`)
    }
    return formatDate(date, args[0], options.tz ?? 'UTC')
  }
}

// moment-timezone unpacks every zone when loaded, a cost each run's start
// would pay; only {{date}} needs it, so it is required on first use.
const require = createRequire(import.meta.url)
let momentTz: typeof momentTimezone | undefined

export function formatDate(date: Date, format: string, tz: string): string {
  const moment = (momentTz ??= require('moment-timezone') as typeof momentTimezone)
  if (moment.tz.zone(tz) === null) {
    throw new Error(`tz='${tz}' is not a known time zone; use an IANA name such as Asia/Tokyo`)
  }
  return moment(date).tz(tz).format(format)
}
