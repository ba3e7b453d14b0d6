import { deploymentPods } from '../../gitops/names'
import type { Prometheus } from '../../adapters/prometheus'
import { errorMessage } from '../../utils/errors'
import { percentile, profileView, recommend, type Usage } from './profiles'

const MAX_POINTS = 1000

/**
 * PromQL for a service's pods (cAdvisor metrics from the kubelet): memory working set and the
 * CPU usage rate, summed over the pod's containers (not the pause container).
 */
export function sizingQueries(namespace: string, service: string) {
  const pods = `namespace="${namespace}", pod=~"${deploymentPods(service)}", container!="", container!="POD"`
  return {
    memory: `sum by (pod) (container_memory_working_set_bytes{${pods}})`,
    cpu: `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[5m]))`,
  }
}

const safeDefault = (note: string) => ({ ...recommendation('startup', `no usable measurements, so the safe default: ${note}`), note })
function recommendation(profile: Parameters<typeof profileView>[0], reason: string) {
  return { recommended: profile, profile: profileView(profile), reason }
}

/** Max and p95 of memory and CPU over the lookback window, and the profile the rule picks. */
export async function sizingRecommendation({ prometheus }: { prometheus: Prometheus | null }, tenant: string, service: string, lookbackHours: number, now = Date.now()) {
  const base = { team: tenant, service, lookback_hours: lookbackHours, source: prometheus ? 'prometheus' as const : 'none' as const }
  const empty = { memory: { maxBytes: null, p95Bytes: null }, cpu: { maxCores: null, p95Cores: null }, samples: { memory: 0, cpu: 0 } }
  if (!prometheus) return { ...base, ...empty, ...safeDefault('no metrics backend configured (NUXT_METRICS_URL)') }
  const end = Math.floor(now / 1000)
  const start = end - lookbackHours * 3600
  const stepSeconds = Math.max(60, Math.ceil((end - start) / MAX_POINTS))
  const q = sizingQueries(tenant, service)
  let memory: number[], cpu: number[]
  try {
    const [m, c] = await Promise.all([q.memory, q.cpu].map(query => prometheus.queryRange({ query, start, end, stepSeconds })))
    memory = m!.flatMap(s => s.values)
    cpu = c!.flatMap(s => s.values)
  }
  catch (err) {
    return { ...base, ...empty, ...safeDefault(errorMessage(err)) }
  }
  if (!memory.length && !cpu.length) return { ...base, ...empty, ...safeDefault(`no samples for the pods of "${tenant}/${service}" in the last ${lookbackHours} h`) }
  const usage: Usage = { memoryMax: max(memory), memoryP95: percentile(memory, 95), cpuMax: max(cpu), cpuP95: percentile(cpu, 95) }
  const { profile, reason } = recommend(usage)
  return {
    ...base,
    memory: { maxBytes: usage.memoryMax, p95Bytes: usage.memoryP95 },
    cpu: { maxCores: round(usage.cpuMax), p95Cores: round(usage.cpuP95) },
    samples: { memory: memory.length, cpu: cpu.length },
    ...recommendation(profile, reason),
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000
const max = (values: number[]) => values.reduce((m, v) => (v > m ? v : m), 0)
