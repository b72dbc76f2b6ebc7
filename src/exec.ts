// The one way this action starts a process: an argument array (never a shell
// string), optional stdin, a hard timeout, and stdout/stderr lines streamed to
// the caller while they are also collected.
import {spawn} from 'node:child_process'

export interface ExecOptions {
  /** Written to stdin, then closed (passwords go here, never into argv). */
  input?: string
  /** Added to the inherited environment. */
  env?: Record<string, string>
  /** Kill the process (SIGKILL) after this long; 0 = no limit. */
  timeoutMs?: number
  /** Called with every output line (stdout and stderr) as it arrives. */
  onLine?: (line: string) => void
}

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
  timedOut: boolean
}

export function execute(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: {...process.env, ...opts.env},
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out = collect(child.stdout, opts.onLine)
    const err = collect(child.stderr, opts.onLine)
    let timedOut = false
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true
          child.kill('SIGKILL')
        }, opts.timeoutMs)
      : undefined
    child.on('error', error => {
      clearTimeout(timer)
      reject(new Error(`Could not run ${cmd}: ${error.message}`))
    })
    child.on('close', code => {
      clearTimeout(timer)
      resolve({code: code ?? -1, stdout: out.text(), stderr: err.text(), timedOut})
    })
    child.stdin.end(opts.input ?? '')
  })
}

function collect(
  stream: NodeJS.ReadableStream,
  onLine?: (line: string) => void
): {text: () => string} {
  let text = ''
  let pending = ''
  stream.on('data', (chunk: Buffer) => {
    const s = chunk.toString()
    text += s
    if (!onLine) return
    const lines = (pending + s).split('\n')
    pending = lines.pop() ?? ''
    lines.forEach(onLine)
  })
  stream.on('end', () => {
    if (onLine && pending) onLine(pending)
  })
  return {text: () => text}
}
