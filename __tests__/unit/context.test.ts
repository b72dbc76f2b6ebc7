import {afterEach, describe, expect, test} from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {gitContextFromEvent, readGitContext} from '../../src/context.js'
import {webhookExample, webhookExampleWhere} from '../fixtures/webhooks.js'

const NOW = new Date('2024-06-01T12:00:00Z')
const RUNNER = {GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '9001'}
// The merge commit GitHub creates for a PR run; it is in GITHUB_SHA, never in the payload.
const MERGE_SHA = '1111111111111111111111111111111111111111'

describe('push', () => {
  const payload = webhookExampleWhere('push', p => p.ref === 'refs/heads/master')
  const env = {
    ...RUNNER,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/master',
    GITHUB_SHA: payload.after,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_ACTOR: 'Codertocat',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: ''
  }

  test('to a branch', () => {
    expect(gitContextFromEvent(env, payload, NOW)).toEqual({
      eventName: 'push',
      ref: 'refs/heads/master',
      refKind: 'branch',
      branch: 'master',
      tag: '',
      sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      headSha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      prNumber: 0,
      baseRef: '',
      defaultBranch: 'master',
      isFork: false,
      repository: {
        owner: 'Codertocat',
        name: 'Hello-World',
        htmlUrl: 'https://github.com/Codertocat/Hello-World',
        description: '',
        license: ''
      },
      actor: 'Codertocat',
      runUrl: 'https://github.com/Codertocat/Hello-World/actions/runs/9001',
      commitDate: new Date('2019-05-15T15:19:25Z')
    })
  })

  test('of a tag', () => {
    const tagPush = webhookExampleWhere('push', p => p.ref.startsWith('refs/tags/') && !p.deleted)
    const ctx = gitContextFromEvent(
      {...env, GITHUB_REF: tagPush.ref, GITHUB_SHA: tagPush.after},
      tagPush,
      NOW
    )
    expect(ctx).toMatchObject({
      ref: 'refs/tags/simple-tag',
      refKind: 'tag',
      branch: '',
      tag: 'simple-tag',
      sha: tagPush.after,
      headSha: tagPush.after,
      defaultBranch: 'master',
      commitDate: new Date('2019-05-15T15:20:41Z')
    })
  })

  test('whose head commit is not the built commit dates it now', () => {
    const ctx = gitContextFromEvent({...env, GITHUB_SHA: MERGE_SHA}, payload, NOW)
    expect(ctx.commitDate).toEqual(NOW)
  })

  test('from env alone (no event file)', () => {
    const ctx = gitContextFromEvent(env, {}, NOW)
    expect(ctx).toMatchObject({
      ref: 'refs/heads/master',
      refKind: 'branch',
      branch: 'master',
      sha: env.GITHUB_SHA,
      headSha: env.GITHUB_SHA,
      defaultBranch: '',
      repository: {
        owner: 'Codertocat',
        name: 'Hello-World',
        htmlUrl: 'https://github.com/Codertocat/Hello-World'
      },
      actor: 'Codertocat',
      commitDate: NOW
    })
  })

  test('from the payload alone (no GITHUB_REF/SHA/REPOSITORY)', () => {
    const ctx = gitContextFromEvent({GITHUB_EVENT_NAME: 'push'}, payload, NOW)
    expect(ctx).toMatchObject({
      ref: 'refs/heads/master',
      branch: 'master',
      sha: payload.after,
      repository: {owner: 'Codertocat', name: 'Hello-World'},
      actor: 'Codertocat',
      runUrl: ''
    })
  })
})

describe('pull_request', () => {
  const env = {
    ...RUNNER,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REF: 'refs/pull/2/merge',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_ACTOR: 'Codertocat',
    GITHUB_HEAD_REF: 'changes',
    GITHUB_BASE_REF: 'master'
  }

  test.each(['opened', 'synchronize'])('%s', action => {
    const ctx = gitContextFromEvent(env, webhookExample('pull_request', action), NOW)
    expect(ctx).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/2/merge',
      refKind: 'pull',
      branch: 'changes',
      tag: '',
      sha: MERGE_SHA,
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      prNumber: 2,
      baseRef: 'master',
      defaultBranch: 'master',
      isFork: false,
      commitDate: NOW
    })
  })

  test('from a fork', () => {
    const fork = webhookExample('pull_request', 'synchronize')
    // The examples hold no fork PR. The only edit: the head repository becomes
    // a fork owned by someone else, as GitHub sends it for a cross-repo PR.
    fork.pull_request.head.repo = {
      ...fork.pull_request.head.repo,
      full_name: 'forker/Hello-World',
      owner: {...fork.pull_request.head.repo.owner, login: 'forker'},
      fork: true
    }
    expect(gitContextFromEvent(env, fork, NOW).isFork).toBe(true)
  })

  test('from a fork that was deleted since (head.repo is null)', () => {
    const gone = webhookExample('pull_request', 'synchronize')
    gone.pull_request.head.repo = null
    expect(gitContextFromEvent(env, gone, NOW).isFork).toBe(true)
  })

  test('between two branches of a repository that is itself a fork is not a fork PR', () => {
    const inFork = webhookExample('pull_request', 'synchronize')
    // Only edit: both sides are the same repository, which is a fork of something.
    inFork.pull_request.head.repo.fork = true
    inFork.pull_request.base.repo.fork = true
    expect(gitContextFromEvent(env, inFork, NOW).isFork).toBe(false)
  })

  test('from env alone takes the number from the ref', () => {
    expect(gitContextFromEvent(env, {}, NOW)).toMatchObject({
      refKind: 'pull',
      prNumber: 2,
      branch: 'changes',
      baseRef: 'master',
      sha: MERGE_SHA,
      headSha: MERGE_SHA,
      isFork: false
    })
  })
})

describe('pull_request_target', () => {
  const payload = webhookExample('pull_request', 'synchronize')
  // pull_request_target runs on the base branch: GITHUB_REF and GITHUB_SHA are the base's.
  const env = {
    ...RUNNER,
    GITHUB_EVENT_NAME: 'pull_request_target',
    GITHUB_REF: 'refs/heads/master',
    GITHUB_SHA: payload.pull_request.base.sha,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_HEAD_REF: 'changes',
    GITHUB_BASE_REF: 'master'
  }

  test('is described by the pull request', () => {
    expect(gitContextFromEvent(env, payload, NOW)).toMatchObject({
      eventName: 'pull_request_target',
      ref: 'refs/pull/2/merge',
      refKind: 'pull',
      branch: 'changes',
      sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      prNumber: 2,
      baseRef: 'master',
      isFork: false
    })
  })
})

describe('release', () => {
  const payload = webhookExample('release', 'published')
  const env = {
    ...RUNNER,
    GITHUB_EVENT_NAME: 'release',
    GITHUB_REF: 'refs/tags/0.0.1',
    GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    GITHUB_REPOSITORY: 'Codertocat/Hello-World'
  }

  test('published', () => {
    expect(gitContextFromEvent(env, payload, NOW)).toMatchObject({
      eventName: 'release',
      ref: 'refs/tags/0.0.1',
      refKind: 'tag',
      branch: '',
      tag: '0.0.1',
      sha: env.GITHUB_SHA,
      prNumber: 0,
      defaultBranch: 'master',
      commitDate: NOW
    })
  })

  test('without GITHUB_REF takes the tag from the release', () => {
    const ctx = gitContextFromEvent({...env, GITHUB_REF: ''}, payload, NOW)
    expect(ctx).toMatchObject({ref: 'refs/tags/0.0.1', refKind: 'tag', tag: '0.0.1'})
  })
})

describe('workflow_dispatch', () => {
  test.each([
    ['a branch', 'refs/heads/master', 'branch', 'master', ''],
    ['a tag', 'refs/tags/v1.2.3', 'tag', '', 'v1.2.3']
  ])('on %s', (_, ref, refKind, branch, tag) => {
    const payload = webhookExampleWhere('workflow_dispatch', p => p.ref === 'refs/heads/master')
    payload.ref = ref // the ref the run was dispatched on: the only edit
    const env = {
      ...RUNNER,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REF: ref,
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_ACTOR: 'octocat'
    }
    expect(gitContextFromEvent(env, payload, NOW)).toMatchObject({
      eventName: 'workflow_dispatch',
      ref,
      refKind,
      branch,
      tag,
      sha: MERGE_SHA,
      defaultBranch: 'master',
      repository: {
        owner: 'octo-org',
        name: 'octo-repo',
        htmlUrl: 'https://github.com/octo-org/octo-repo',
        description: 'My first repo on GitHub!'
      },
      actor: 'octocat',
      commitDate: NOW
    })
  })
})

describe('schedule', () => {
  // GitHub sends schedule runs only {"schedule": "<cron>"}; the examples have none.
  test('works from env alone', () => {
    const env = {
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
      GITHUB_RUN_ID: '77'
    }
    expect(gitContextFromEvent(env, {schedule: '0 3 * * *'}, NOW)).toEqual({
      eventName: 'schedule',
      ref: 'refs/heads/main',
      refKind: 'branch',
      branch: 'main',
      tag: '',
      sha: MERGE_SHA,
      headSha: MERGE_SHA,
      prNumber: 0,
      baseRef: '',
      defaultBranch: '',
      isFork: false,
      repository: {
        owner: 'octo-org',
        name: 'octo-repo',
        htmlUrl: 'https://ghe.example.com/octo-org/octo-repo',
        description: '',
        license: ''
      },
      actor: 'octocat',
      runUrl: 'https://ghe.example.com/octo-org/octo-repo/actions/runs/77',
      commitDate: NOW
    })
  })
})

describe('merge_group', () => {
  const payload = webhookExample('merge_group', 'checks_requested')
  const headRef = payload.merge_group.head_ref as string

  test('checks_requested', () => {
    const env = {
      ...RUNNER,
      GITHUB_EVENT_NAME: 'merge_group',
      GITHUB_REF: headRef,
      GITHUB_SHA: payload.merge_group.head_sha,
      GITHUB_REPOSITORY: 'octo-org/octo-repo'
    }
    expect(gitContextFromEvent(env, payload, NOW)).toMatchObject({
      eventName: 'merge_group',
      ref: 'refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64',
      refKind: 'branch',
      branch: 'gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64',
      sha: '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d',
      headSha: '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d',
      prNumber: 0,
      defaultBranch: 'main',
      isFork: false,
      commitDate: NOW
    })
  })

  test('without GITHUB_REF/SHA uses the merge group', () => {
    const ctx = gitContextFromEvent({GITHUB_EVENT_NAME: 'merge_group'}, payload, NOW)
    expect(ctx).toMatchObject({ref: headRef, sha: '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d'})
  })
})

describe('repository details', () => {
  test.each([
    ['check_run', 'MIT'],
    ['dependabot_alert', ''] // GitHub says NOASSERTION there: no license detected
  ])('license from a real %s repository object', (event, license) => {
    const source = webhookExampleWhere(event, p => Boolean(p.repository?.license))
    const payload = webhookExampleWhere('push', p => p.ref === 'refs/heads/master')
    payload.repository = source.repository // a repository object that carries a license
    const ctx = gitContextFromEvent({GITHUB_EVENT_NAME: 'push'}, payload, NOW)
    expect(ctx.repository.license).toBe(license)
    expect(ctx.repository.htmlUrl).toBe(source.repository.html_url)
    expect(ctx.repository.description).toBe(source.repository.description)
  })

  test('an unqualified GITHUB_REF is a branch', () => {
    const ctx = gitContextFromEvent({GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'main'}, {}, NOW)
    expect(ctx).toMatchObject({ref: 'refs/heads/main', refKind: 'branch', branch: 'main'})
  })

  test('a ref that is neither branch, tag nor pull is "other"', () => {
    const ctx = gitContextFromEvent(
      {GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/notes/x'},
      {},
      NOW
    )
    expect(ctx).toMatchObject({refKind: 'other', branch: '', tag: ''})
  })
})

describe('readGitContext', () => {
  const saved = {...process.env}
  afterEach(() => {
    process.env = {...saved}
  })

  test('reads the event file at GITHUB_EVENT_PATH', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctx-'))
    const file = path.join(dir, 'event.json')
    fs.writeFileSync(file, JSON.stringify(webhookExample('release', 'published')))
    Object.assign(process.env, {
      GITHUB_EVENT_NAME: 'release',
      GITHUB_EVENT_PATH: file,
      GITHUB_REF: 'refs/tags/0.0.1',
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World'
    })
    const ctx = readGitContext()
    fs.rmSync(dir, {recursive: true})
    expect(ctx).toMatchObject({tag: '0.0.1', defaultBranch: 'master', sha: MERGE_SHA})
  })

  test('treats a missing event file as an empty payload', () => {
    Object.assign(process.env, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: path.join(os.tmpdir(), 'no-such-dir-k8s-build', 'event.json'),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REPOSITORY: 'o/r'
    })
    expect(readGitContext()).toMatchObject({branch: 'main', defaultBranch: '', sha: MERGE_SHA})
  })
})
