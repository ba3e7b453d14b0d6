import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../../shared/utils/quantity'
import { demandOf } from '../../gitops/quota'
import type { Cluster } from '../../adapters/kubernetes'
import type { RepoIndex } from '../../gitops/state'
import { errorMessage } from '../../utils/errors'
import { NO_CLUSTER } from './view'

const share = (used: number | null, hard: number | null) => used === null || !hard ? null : Math.round((used / hard) * 1000) / 10

/** A tenant's quota against what is used (live) and what its services ask for (GitOps). */
export async function tenantUsage({ index, cluster }: { index: RepoIndex, cluster: Cluster | null }, tenant: string) {
  const quotas = index.tenant(tenant)!.quotas
  const demand = demandOf(index.servicesOf(tenant).map(s => s.spec))
  const known = {
    allocated: { cpu: quotas.cpu, memory: quotas.memory, pods: quotas.pods },
    desired: { cpu: formatCpu(demand.cpuMillis), memory: formatMemory(demand.memoryBytes), pods: demand.pods },
  }
  const unknown = (note: string) => ({
    ...known,
    used: { cpu: 'Unknown', memory: 'Unknown' },
    percent: { cpu: null, memory: null, pods: null },
    pods: { used: null, hard: quotas.pods },
    note,
  })
  if (!cluster) return unknown(NO_CLUSTER)
  try {
    const all = await cluster.quotas(tenant)
    const q = all.find(q => q.name === 'tenant-quota') ?? all[0]
    if (!q) return unknown(`namespace "${tenant}" has no ResourceQuota yet (Argo CD has not synced the tenant?)`)
    const used = { cpu: q.used['requests.cpu'] ?? '0', memory: q.used['requests.memory'] ?? '0' }
    const hard = { cpu: q.hard['requests.cpu'] ?? quotas.cpu, memory: q.hard['requests.memory'] ?? quotas.memory, pods: Number(q.hard.pods ?? quotas.pods) }
    const podsUsed = Number(q.used.pods ?? 0)
    return {
      ...known,
      used,
      percent: {
        cpu: share(cpuMillis(used.cpu), cpuMillis(hard.cpu)),
        memory: share(memoryBytes(used.memory), memoryBytes(hard.memory)),
        pods: share(podsUsed, hard.pods),
      },
      pods: { used: podsUsed, hard: hard.pods },
    }
  }
  catch (err) {
    return unknown(errorMessage(err))
  }
}
