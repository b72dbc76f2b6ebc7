// The fallback path: buildx on the runner. The docker driver when the daemon
// can build and push the requested platforms (its containerd image store can
// do multi-platform), else a docker-container builder of our own. QEMU is
// registered when a requested platform is foreign and binfmt lacks it.
import {existsSync} from 'node:fs'
import {docker} from '../docker.js'
import {lastErrorLine} from './remote.js'

export interface LocalBuilder {
  name: string
  /** True when the action created it (post removes it). */
  created: boolean
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64'
}
const QEMU_NAME: Record<string, string> = {
  arm64: 'aarch64',
  arm: 'arm',
  amd64: 'x86_64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  '386': 'i386'
}

export function nativeArch(): string {
  return NODE_ARCH[process.arch] ?? process.arch
}

/** Architectures of `platforms` the runner can run neither natively nor through binfmt. */
export function foreignWithoutEmulation(
  platforms: string[],
  hasBinfmt: (arch: string) => boolean
): string[] {
  const arches = platforms.map(p => p.split('/')[1]).filter(a => a !== nativeArch())
  return [...new Set(arches)].filter(a => !hasBinfmt(a))
}

function binfmtRegistered(arch: string): boolean {
  return existsSync(`/proc/sys/fs/binfmt_misc/qemu-${QEMU_NAME[arch] ?? arch}`)
}

/** Registers QEMU for the arches that need it; a failure is a warning, buildx reports what then fails. */
export async function ensureEmulation(
  platforms: string[],
  warn: (m: string) => void
): Promise<void> {
  const missing = foreignWithoutEmulation(platforms, binfmtRegistered)
  if (missing.length === 0) return
  const result = await docker(
    ['run', '--privileged', '--rm', 'tonistiigi/binfmt', '--install', missing.join(',')],
    {timeoutMs: 120_000}
  )
  if (result.code !== 0)
    warn(`Could not register QEMU for ${missing.join(', ')}: ${lastErrorLine(result.stderr)}`)
}

/** The docker driver can push multi-platform images only with the containerd image store. */
async function dockerDriverFits(platforms: string[]): Promise<boolean> {
  const foreign = platforms.some(p => p.split('/')[1] !== nativeArch())
  if (platforms.length <= 1 && !foreign) return true
  const info = await docker(['info', '--format', '{{json .DriverStatus}}'], {
    timeoutMs: 30_000
  })
  return info.code === 0 && info.stdout.includes('io.containerd.snapshotter')
}

export async function prepareLocalBuilder(
  name: string,
  platforms: string[],
  warn: (m: string) => void
): Promise<LocalBuilder> {
  await ensureEmulation(platforms, warn)
  if (await dockerDriverFits(platforms)) return {name: 'default', created: false}
  const result = await docker(
    ['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap'],
    {timeoutMs: 300_000}
  )
  if (result.code !== 0)
    throw new Error(`Could not create a local buildx builder: ${lastErrorLine(result.stderr)}`)
  return {name, created: true}
}
