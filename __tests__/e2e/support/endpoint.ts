// Stopping and starting the stack's BuildKit endpoints, through the same CLI
// a person would use: scripts/sandbox/endpoint stop|start|restart|status.
import {run, runOk} from './run.js'
import type {Stack} from './stack.js'

export type EndpointState = 'up' | 'down'

async function control(stack: Stack, action: string, endpoint: string): Promise<EndpointState> {
  const result = await runOk(stack, 'bash', [stack.endpointCtl, action, endpoint])
  return result.stdout.startsWith('up ') ? 'up' : 'down'
}

/**
 * Stops the endpoint (tcp://127.0.0.1:PORT or PORT): when this resolves the
 * port refuses connections and open ones are cut, so a build running through
 * it fails as if its remote BuildKit host had died. Stopping a stopped
 * endpoint is fine.
 */
export function stopEndpoint(stack: Stack, endpoint: string): Promise<EndpointState> {
  return control(stack, 'stop', endpoint)
}

/** Starts the endpoint again (any free loopback port works); resolves once it accepts. */
export function startEndpoint(stack: Stack, endpoint: string): Promise<EndpointState> {
  return control(stack, 'start', endpoint)
}

export function restartEndpoint(stack: Stack, endpoint: string): Promise<EndpointState> {
  return control(stack, 'restart', endpoint)
}

export async function endpointStatus(stack: Stack, endpoint: string): Promise<EndpointState> {
  const result = await run(stack, 'bash', [stack.endpointCtl, 'status', endpoint])
  if (result.code !== 0 && result.code !== 3) {
    throw new Error(`endpoint status ${endpoint} exited ${result.code}: ${result.output}`)
  }
  return result.code === 0 ? 'up' : 'down'
}
