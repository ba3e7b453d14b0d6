import type { ServiceSpec } from '../../gitops/specs'

/** TOOLS.md "Resource optimization": the OpenClaw profiles (requests, limits, Node heap). */
export const PROFILES = {
  'startup': { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' }, nodeHeapMiB: 3072 },
  'steady-medium': { requests: { cpu: '350m', memory: '1Gi' }, limits: { cpu: '1500m', memory: '3Gi' }, nodeHeapMiB: 2048 },
  'steady-small': { requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '2560Mi' }, nodeHeapMiB: 1792 },
} as const
export type ProfileName = keyof typeof PROFILES
export const PROFILE_NAMES = Object.keys(PROFILES) as [ProfileName, ...ProfileName[]]

export interface Usage { memoryMax: number, memoryP95: number, cpuMax: number, cpuP95: number }

const GiB = 2 ** 30
const gib = (bytes: number) => `${(bytes / GiB).toFixed(2)} GiB`
const cores = (n: number) => `${n.toFixed(2)} cores`

/**
 * The rule of TOOLS.md: startup if memory max ≥ 2.3 GiB or CPU max ≥ 1.2 cores; else
 * steady-medium if memory p95 ≥ 1.3 GiB or CPU p95 ≥ 0.7; else steady-small. The reason
 * names the measurement that decided.
 */
export function recommend(u: Usage): { profile: ProfileName, reason: string } {
  if (u.memoryMax >= 2.3 * GiB) return { profile: 'startup', reason: `memory max ${gib(u.memoryMax)} ≥ 2.3 GiB` }
  if (u.cpuMax >= 1.2) return { profile: 'startup', reason: `CPU max ${cores(u.cpuMax)} ≥ 1.2 cores` }
  if (u.memoryP95 >= 1.3 * GiB) return { profile: 'steady-medium', reason: `memory p95 ${gib(u.memoryP95)} ≥ 1.3 GiB (max ${gib(u.memoryMax)} < 2.3 GiB, CPU max ${cores(u.cpuMax)} < 1.2)` }
  if (u.cpuP95 >= 0.7) return { profile: 'steady-medium', reason: `CPU p95 ${cores(u.cpuP95)} ≥ 0.7 cores (max ${cores(u.cpuMax)} < 1.2, memory max ${gib(u.memoryMax)} < 2.3 GiB)` }
  return { profile: 'steady-small', reason: `memory p95 ${gib(u.memoryP95)} < 1.3 GiB and CPU p95 ${cores(u.cpuP95)} < 0.7 cores (max ${gib(u.memoryMax)}, ${cores(u.cpuMax)})` }
}

/** Nearest-rank percentile of samples (0 for none). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export const heapFlag = (mib: number) => `--max-old-space-size=${mib}`

/**
 * A spec running `profile`: its requests and limits, and NODE_OPTIONS with the heap size
 * (other NODE_OPTIONS flags a person set are kept).
 */
export function withProfile(spec: ServiceSpec, profile: ProfileName): ServiceSpec {
  const p = PROFILES[profile]
  const others = (spec.env.NODE_OPTIONS ?? '').split(/\s+/).filter(f => f && !f.startsWith('--max-old-space-size'))
  return {
    ...spec,
    resources: { requests: { ...p.requests }, limits: { ...p.limits } },
    env: { ...spec.env, NODE_OPTIONS: [...others, heapFlag(p.nodeHeapMiB)].join(' ') },
  }
}

export function profileView(name: ProfileName) {
  const p = PROFILES[name]
  return { name, requests: { ...p.requests }, limits: { ...p.limits }, nodeHeapMiB: p.nodeHeapMiB, nodeOptions: heapFlag(p.nodeHeapMiB) }
}
