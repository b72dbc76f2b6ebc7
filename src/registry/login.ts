// docker login / logout for the registry the images go to. The password goes
// through stdin (never argv) and is masked before anything can print it.
import * as core from '@actions/core'
import {docker} from '../docker.js'

export class LoginError extends Error {}

export async function login(registry: string, username: string, password: string): Promise<void> {
  core.setSecret(password)
  const result = await docker(['login', '--username', username, '--password-stdin', registry], {
    input: password,
    timeoutMs: 60_000
  })
  if (result.code !== 0) {
    throw new LoginError(loginFailureMessage(registry, username, result.stderr, password))
  }
}

export async function logout(registry: string): Promise<void> {
  const result = await docker(['logout', registry], {timeoutMs: 30_000})
  if (result.code !== 0) core.warning(`docker logout ${registry} failed: ${result.stderr.trim()}`)
}

/**
 * Turns docker's login errors into one that names the registry and the
 * inputs to fix. A rejected password against a registry on 127.0.0.0/8 comes
 * back as a confusing "http ... 400" from the daemon: treat it as rejected.
 */
export function loginFailureMessage(
  registry: string,
  username: string,
  stderr: string,
  password: string
): string {
  const masked = maskPassword(stderr, password)
  const detail = masked.trim().split('\n').pop() ?? ''
  // \b401\b: a port like :4010 in "connection refused" is not a rejection.
  const rejected = /unauthori[sz]ed|\b401\b|400 Bad Request|incorrect username or password|denied/i
  const why = rejected.test(masked)
    ? 'the registry rejected the credentials'
    : detail || 'docker login failed'
  return (
    `Login to registry ${registry} as "${username}" failed: ${why}. ` +
    `Check the "username" and "password" inputs` +
    (registry === 'ghcr.io'
      ? ' (for ghcr.io the token needs `packages: write` permission).'
      : '.') +
    (why === detail || !detail ? '' : ` (docker said: ${detail})`)
  )
}

/** Also the trimmed form: docker trims what it reads from stdin. An empty password masks nothing. */
function maskPassword(text: string, password: string): string {
  const forms = [password, password.trim()].filter(Boolean)
  return forms.reduce((masked, form) => masked.split(form).join('***'), text)
}
