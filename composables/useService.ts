/** One service as the console shows it: the same REST routes the tools answer on (WEB.md). */
export interface Pod {
  name: string
  phase: string
  ready: boolean
  restarts: number
  waitingReason: string | null
  lastTermination: { reason: string, exitCode: number, finishedAt: string | null } | null
}

export interface ServiceStatus {
  argocd: { syncStatus: string, healthStatus: string, revision: string | null, message: string | null, reconciledAt: string | null } | null
  pods: Pod[]
  note?: string
}

export interface Deploy {
  tag: string
  image: string
  commit: string
  author: string
  time: string
  operation: string
  operationId: string | null
}

export interface ServiceConfig {
  team: string
  name: string
  image: string
  host: string | null
  port: number
  componentType: 'web' | 'worker'
  replicas: number | null
  autoscaling: { minReplicas: number, maxReplicas: number, cpuThreshold: number } | null
  hasDatabase: boolean
  healthCheckPath: string
  resources: { requests: { cpu: string, memory: string }, limits: { cpu: string, memory: string } }
  env: Record<string, string>
  secretEnv: string[]
  argocdApplication: string
  history: Deploy[]
}

/** What every write answers at once (TOOLS.md): the operation to follow. */
export interface OperationStarted {
  operation_id: string
  workflow_name: string
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
  message: string
  error?: string
}

export function useService(team: string, service: string) {
  const base = `/api/v1/services/${encodeURIComponent(team)}/${encodeURIComponent(service)}`
  const api = useApi()
  const status = useFetch<ServiceStatus>(`${base}/status`, { key: `status:${team}/${service}` })
  const config = useFetch<ServiceConfig>(`${base}/config`, { key: `config:${team}/${service}` })
  return {
    status,
    config,
    /** mctl_rollback_service to a tag from the history; waits briefly so the new deploy can be shown. */
    async rollback(tag: string) {
      const started = await api<OperationStarted>(`${base}/rollback`, { method: 'POST', body: { target_tag: tag, wait_seconds: 15 } })
      await Promise.all([config.refresh(), status.refresh()])
      return started
    },
  }
}
