import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../shared/utils/quantity'
import type { Quotas, ServiceSpec } from './specs'

/** The most pods a service may run: its HPA maximum, or its fixed replica count. */
export const maxPods = (spec: ServiceSpec) => spec.autoscaling ? spec.autoscaling.maxReplicas : (spec.replicas ?? 1)

export interface Demand { pods: number, cpuMillis: number, memoryBytes: number }

/** What a set of services asks of the tenant quota at full scale (requests × most pods). */
export function demandOf(specs: ServiceSpec[]): Demand {
  return specs.reduce((d, s) => {
    const pods = maxPods(s)
    return {
      pods: d.pods + pods,
      cpuMillis: d.cpuMillis + pods * (cpuMillis(s.resources.requests.cpu) ?? 0),
      memoryBytes: d.memoryBytes + pods * (memoryBytes(s.resources.requests.memory) ?? 0),
    }
  }, { pods: 0, cpuMillis: 0, memoryBytes: 0 })
}

/**
 * Why the services of a tenant do not fit its quota at full scale, or nothing. Rolled into the
 * policy check, so no commit can ask for more than the ResourceQuota would ever admit.
 */
export function quotaViolations(tenant: string, services: { name: string, spec: ServiceSpec }[], quotas: Quotas): string[] {
  const total = demandOf(services.map(s => s.spec))
  const parts = (f: (s: ServiceSpec) => string) => services.map(s => `${s.name} ${f(s.spec)}`).join(', ')
  const out: string[] = []
  if (total.pods > quotas.pods)
    out.push(`at full scale the services of "${tenant}" need ${total.pods} pods (${parts(s => String(maxPods(s)))}) but the tenant quota allows ${quotas.pods}`)
  const cpu = cpuMillis(quotas.cpu) ?? 0
  if (total.cpuMillis > cpu)
    out.push(`at full scale the services of "${tenant}" request ${formatCpu(total.cpuMillis)} CPU (${parts(s => `${maxPods(s)} × ${s.resources.requests.cpu}`)}) but the tenant quota allows ${quotas.cpu}`)
  const memory = memoryBytes(quotas.memory) ?? 0
  if (total.memoryBytes > memory)
    out.push(`at full scale the services of "${tenant}" request ${formatMemory(total.memoryBytes)} memory (${parts(s => `${maxPods(s)} × ${s.resources.requests.memory}`)}) but the tenant quota allows ${quotas.memory}`)
  return out
}

/**
 * Why a tenant's quotas are above the platform's `quotaLimits` (mctl.yaml), or nothing. Rolled
 * into the policy check of every commit that writes to the tenant, so a hand-edited tenant.yaml
 * cannot raise them past what self-service may ask for.
 */
export function quotaLimitViolations(tenant: string, quotas: Quotas, limits: Quotas): string[] {
  const above = (field: keyof Quotas, amount: (q: string | number) => number | null) =>
    (amount(quotas[field]) ?? 0) > (amount(limits[field]) ?? 0)
      ? [`tenant "${tenant}": quotas.${field} ${quotas[field]} is above the platform limit ${limits[field]} (mctl.yaml quotaLimits.${field})`]
      : []
  return [...above('cpu', cpuMillis), ...above('memory', memoryBytes), ...above('pods', Number)]
}
