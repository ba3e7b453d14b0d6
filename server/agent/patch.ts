import { z } from 'zod'
import { CPU_PATTERN, cpuMillis, formatCpu, formatMemory, MEMORY_PATTERN, memoryBytes } from '../../shared/utils/quantity'
import { serviceChanges } from '../gitops/render/service'
import { tenantChanges } from '../gitops/render/tenant'
import type { Changes } from '../gitops/repo'
import { ServiceSpec, type Quotas } from '../gitops/specs'
import type { RepoIndex } from '../gitops/state'
import { invalid, notFound } from '../utils/errors'

/**
 * A change a skill proposes, as an edit of service.yaml (and, for a quota raise, of the
 * quotas in tenant.yaml) — never files: the manifests are
 * rendered from the edited spec by the same renderer and policy check as every write, and
 * re-applying the edit on a newer head is how an approved fix is rebased.
 * Quantities may be relative ("*2" of the current value) and counts "+1"; they are resolved
 * against the spec when the fix is proposed, so applying it later never compounds.
 */
const FACTOR = /^\*(\d+(?:\.\d+)?)$/
const MORE = /^\+(\d{1,4})$/
const MEMORY = new RegExp(MEMORY_PATTERN)
const CPU = new RegExp(CPU_PATTERN)

const memory = z.string().refine(v => MEMORY.test(v) || FACTOR.test(v), 'must be a memory quantity such as "1Gi", or "*<factor>" of the current value such as "*2"')
const cpu = z.union([z.number().positive().transform(String), z.string()])
  .refine(v => CPU.test(v) || FACTOR.test(v), 'must be a CPU quantity such as "500m", or "*<factor>" of the current value')
const count = z.union([z.number().int().min(1).max(1000), z.string().regex(MORE, 'must be a whole number, or "+<n>" more than now')])
const pair = z.object({ cpu: cpu.optional(), memory: memory.optional() }).strict()

export const ServicePatch = z.object({
  image: z.object({ tag: z.string().regex(/^\w[\w.-]{0,127}$/, 'must be an image tag') }).strict().optional(),
  resources: z.object({ requests: pair.optional(), limits: pair.optional() }).strict().optional(),
  replicas: count.optional(),
  autoscaling: z.object({ minReplicas: count.optional(), maxReplicas: count.optional(), cpuThreshold: z.number().int().min(1).max(100).optional() }).strict().optional(),
  healthCheckPath: z.string().regex(/^\/[\w\-./~]*$/, 'must be a path starting with /').optional(),
  restart: z.literal(true).optional().describe('Roll the pods (bumps configRevision)'),
  sync: z.literal(true).optional().describe('After approval, ask Argo CD to sync the service\'s Application back to git: reverts changes made in the cluster outside git (no git change of its own)'),
  tenantQuotas: z.object({
    cpu: z.string().regex(CPU, 'must be a CPU quantity such as "4"').optional(),
    memory: z.string().regex(MEMORY, 'must be a memory quantity such as "8Gi"').optional(),
    pods: z.number().int().min(1).optional(),
  }).strict().optional().describe('New tenant quotas in tenant.yaml (not the service): held to mctl.yaml quotaLimits by the policy check'),
}).strict().refine(p => Object.keys(p).length > 0, 'must change at least one field')
export type ServicePatch = z.infer<typeof ServicePatch>

function scaleMemory(current: string, v: string) {
  const f = FACTOR.exec(v)
  if (!f) return v
  const mi = 2 ** 20
  return formatMemory(Math.ceil((memoryBytes(current) ?? 0) * Number(f[1]) / mi) * mi)
}
function scaleCpu(current: string, v: string) {
  const f = FACTOR.exec(v)
  return f ? formatCpu(Math.ceil((cpuMillis(current) ?? 0) * Number(f[1]))) : v
}
const more = (current: number, v: number | string) => typeof v === 'number' ? v : current + Number(MORE.exec(v)![1])

/** The patch with relative values made absolute against `spec`. */
export function resolvePatch(p: ServicePatch, spec: ServiceSpec): ServicePatch {
  const out: ServicePatch = { ...p }
  if (p.resources) {
    const side = (which: 'requests' | 'limits') => {
      const asked = p.resources![which]
      if (!asked) return undefined
      const now = spec.resources[which]
      return {
        ...(asked.cpu !== undefined ? { cpu: scaleCpu(now.cpu, asked.cpu) } : {}),
        ...(asked.memory !== undefined ? { memory: scaleMemory(now.memory, asked.memory) } : {}),
      }
    }
    out.resources = { ...(p.resources.requests ? { requests: side('requests') } : {}), ...(p.resources.limits ? { limits: side('limits') } : {}) }
  }
  const replicasNow = spec.replicas ?? spec.autoscaling?.minReplicas ?? 1
  if (p.replicas !== undefined) out.replicas = more(replicasNow, p.replicas)
  if (p.autoscaling) {
    const a = p.autoscaling
    out.autoscaling = {
      ...a,
      ...(a.minReplicas !== undefined ? { minReplicas: more(spec.autoscaling?.minReplicas ?? replicasNow, a.minReplicas) } : {}),
      ...(a.maxReplicas !== undefined ? { maxReplicas: more(spec.autoscaling?.maxReplicas ?? replicasNow, a.maxReplicas) } : {}),
    }
  }
  return out
}

/** The spec after a resolved patch. A request above its limit is refused (Kubernetes would). */
export function applyPatch(spec: ServiceSpec, p: ServicePatch): ServiceSpec {
  const { replicas: _r, autoscaling: _a, ...rest } = spec
  const scaling = p.replicas !== undefined
    ? { replicas: Number(p.replicas) }
    : p.autoscaling
      ? { autoscaling: { minReplicas: 1, maxReplicas: spec.replicas ?? 1, cpuThreshold: 80, ...spec.autoscaling, ...p.autoscaling as Record<string, number> } }
      : { ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}), ...(spec.autoscaling ? { autoscaling: spec.autoscaling } : {}) }
  const next = ServiceSpec.parse({
    ...rest,
    ...scaling,
    image: { ...spec.image, ...p.image },
    resources: {
      requests: { ...spec.resources.requests, ...p.resources?.requests },
      limits: { ...spec.resources.limits, ...p.resources?.limits },
    },
    healthCheckPath: p.healthCheckPath ?? spec.healthCheckPath,
    configRevision: spec.configRevision + (p.restart ? 1 : 0),
  })
  const { requests, limits } = next.resources
  if ((memoryBytes(requests.memory) ?? 0) > (memoryBytes(limits.memory) ?? Infinity))
    throw invalid(`the memory request ${requests.memory} would be above the limit ${limits.memory}`)
  if ((cpuMillis(requests.cpu) ?? 0) > (cpuMillis(limits.cpu) ?? Infinity))
    throw invalid(`the CPU request ${requests.cpu} would be above the limit ${limits.cpu}`)
  if (next.autoscaling && next.autoscaling.minReplicas > next.autoscaling.maxReplicas)
    throw invalid(`autoscaling minReplicas ${next.autoscaling.minReplicas} would be above maxReplicas ${next.autoscaling.maxReplicas}`)
  return next
}

/** What changes, in words: "memory limit 512Mi → 1Gi". */
export function describeChange(before: ServiceSpec, after: ServiceSpec): string[] {
  const out: string[] = []
  const diff = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what} ${a ?? 'none'} → ${b ?? 'none'}`)
  }
  diff('image tag', before.image.tag, after.image.tag)
  diff('memory limit', before.resources.limits.memory, after.resources.limits.memory)
  diff('memory request', before.resources.requests.memory, after.resources.requests.memory)
  diff('CPU limit', before.resources.limits.cpu, after.resources.limits.cpu)
  diff('CPU request', before.resources.requests.cpu, after.resources.requests.cpu)
  diff('replicas', before.autoscaling ? undefined : before.replicas ?? 1, after.autoscaling ? undefined : after.replicas ?? 1)
  const hpa = (s: ServiceSpec) => s.autoscaling ? `${s.autoscaling.minReplicas}–${s.autoscaling.maxReplicas} at ${s.autoscaling.cpuThreshold}% CPU` : undefined
  diff('autoscaling', hpa(before), hpa(after))
  diff('health check path', before.healthCheckPath, after.healthCheckPath)
  if (after.configRevision !== before.configRevision) out.push(`restart (config revision ${before.configRevision} → ${after.configRevision})`)
  return out
}

/**
 * The files a fix writes and what changes, in words: service.yaml and its manifests for the
 * service fields, tenant.yaml and its manifests for `tenantQuotas`. Re-run on the head an
 * approved fix is merged onto.
 */
export function patchChanges(index: RepoIndex, tenant: string, service: string, spec: ServiceSpec, p: ServicePatch): { changes: Changes, described: string[] } {
  const { tenantQuotas, sync: _sync, ...own } = p
  const changes: Changes = new Map()
  const described: string[] = []
  if (Object.keys(own).length) {
    const next = applyPatch(spec, own)
    described.push(...describeChange(spec, next))
    for (const [path, content] of serviceChanges(tenant, service, next, index.platform)) changes.set(path, content)
  }
  if (tenantQuotas) {
    const current = index.tenant(tenant)
    if (!current) throw notFound(`Tenant "${tenant}" not found`)
    const quotas: Quotas = { ...current.quotas, ...tenantQuotas }
    for (const field of ['cpu', 'memory', 'pods'] as const) {
      if (quotas[field] !== current.quotas[field]) described.push(`tenant quota ${field} ${current.quotas[field]} → ${quotas[field]}`)
    }
    for (const [path, content] of tenantChanges(tenant, { ...current, quotas }, index.platform)) changes.set(path, content)
  }
  return { changes, described }
}
