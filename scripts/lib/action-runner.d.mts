export const repoRoot: string

export function node24(): string

export interface EventSpec {
  name: string
  ref: string
  sha: string
  payload?: object
  repository?: string
  headRef?: string
  baseRef?: string
}

export interface RunOptions {
  inputs?: Record<string, string>
  event: EventSpec
  /** Extra environment (e.g. the sandbox's DOCKER_HOST). */
  env?: Record<string, string | undefined>
  /** Also run the post step with the state main saved. */
  post?: boolean
  timeoutMs?: number
  cwd?: string
  /** Where the run's temp folder (RUNNER_TEMP, output files) goes; default os.tmpdir(). */
  tempRoot?: string
  /** Called with each chunk the action prints. */
  onOutput?: (chunk: string) => void
}

export interface StepResult {
  code: number
  stdout: string
  stderr: string
  /** stdout + stderr, for "the secret appears nowhere" assertions. */
  log: string
}

export interface ActionRun extends StepResult {
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  postStep?: StepResult
  /** The run's temp folder (RUNNER_TEMP). */
  dir: string
}

export function runAction(opts: RunOptions): Promise<ActionRun>

export function parseCommandFile(text: string): Record<string, string>
