// What a builder is: BuildKit version and platforms per node, parsed from
// `docker buildx inspect` (used for the log and the report, never for control).
import {docker} from '../docker.js'

export interface NodeInfo {
  name: string
  endpoint: string
  status: string
  buildkitVersion: string
  platforms: string[]
}

export function parseInspect(text: string): NodeInfo[] {
  // Builder-level fields come first; each node's block starts with "Name:" after "Nodes:".
  const nodesPart = text.split(/^Nodes:$/m)[1] ?? ''
  const nodes: NodeInfo[] = []
  for (const line of nodesPart.split('\n')) {
    const m = /^([A-Za-z ]+):\s+(.*)$/.exec(line)
    if (!m) continue
    const [, key, value] = m
    if (key === 'Name') {
      nodes.push({name: value, endpoint: '', status: '', buildkitVersion: '', platforms: []})
    }
    const node = nodes[nodes.length - 1]
    if (!node) continue
    if (key === 'Endpoint') node.endpoint = value
    if (key === 'Status') node.status = value
    if (key === 'BuildKit version') node.buildkitVersion = value
    if (key === 'Platforms') node.platforms = value.split(',').map(p => p.trim().replace(/\*$/, ''))
  }
  return nodes
}

export async function inspectBuilder(name: string): Promise<NodeInfo[]> {
  const result = await docker(['buildx', 'inspect', name], {timeoutMs: 30_000})
  return result.code === 0 ? parseInspect(result.stdout) : []
}
