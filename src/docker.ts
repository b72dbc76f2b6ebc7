// Running the docker CLI, with one shortcut: `docker buildx ...` runs the
// buildx CLI plugin binary directly when it can be found. Through docker, each
// call pays a docker CLI start and a scan of every plugin (~55 ms) before
// buildx starts at all, and a build makes three or four such calls.
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {execute, type ExecOptions, type ExecResult} from './exec.js'

/** Where the docker CLI looks for plugins on Linux, in its order (user dir first). */
export function pluginDirs(env: NodeJS.ProcessEnv): string[] {
  const userDir = join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'cli-plugins')
  return [
    userDir,
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins'
  ]
}

let plugin: string | undefined

/** The docker-buildx binary docker itself would run, or '' (then `docker buildx` is used). */
export function buildxPlugin(env: NodeJS.ProcessEnv = process.env): string {
  plugin ??=
    pluginDirs(env)
      .map(dir => join(dir, 'docker-buildx'))
      .find(p => existsSync(p)) ?? ''
  return plugin
}

/** Runs `docker <args>`; `buildx` subcommands go to the plugin binary when found. */
export function docker(args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const direct = args[0] === 'buildx' ? buildxPlugin() : ''
  return direct ? execute(direct, args.slice(1), opts) : execute('docker', args, opts)
}
