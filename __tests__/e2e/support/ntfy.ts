// Reading what was published to the stack's ntfy server.
import {httpRequest} from './http.js'
import type {Stack} from './stack.js'

export interface NtfyMessage {
  id: string
  time: number
  event: string
  topic: string
  message?: string
  title?: string
  priority?: number
  tags?: string[]
  click?: string
  actions?: unknown[]
}

/**
 * Messages on `topic` that the server still holds (GET /<topic>/json?poll=1),
 * oldest first, read as the stack's ntfy user. `since` narrows them (a
 * duration like "10m", a unix time, a message id, or "all").
 */
export async function ntfyMessages(
  stack: Stack,
  topic: string,
  since = 'all'
): Promise<NtfyMessage[]> {
  const url = `${stack.ntfyUrl}/${encodeURIComponent(topic)}/json?poll=1&since=${encodeURIComponent(since)}`
  const res = await httpRequest(url, {auth: `${stack.ntfyUser}:${stack.ntfyPassword}`})
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${res.text()}`)
  return res
    .text()
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line) as NtfyMessage)
    .filter(m => m.event === 'message')
}
