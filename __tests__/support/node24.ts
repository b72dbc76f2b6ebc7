// The action declares runs.using: node24, so tests run the bundle under
// Node 24 from the npm registry. Resolve its binary once (npx costs ~1 s a call).
import {execFileSync} from 'node:child_process'

let cached = ''

export function node24(): string {
  if (!cached) {
    cached = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
      encoding: 'utf8'
    }).trim()
  }
  return cached
}
