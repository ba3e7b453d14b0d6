import type { LogEntry } from '../types'

/** What MCTL reads from a cluster, in our own shapes (no client-node types leak out). */

export interface ApplicationStatus {
  syncStatus: string
  healthStatus: string
  revision: string | null
  message: string | null
  reconciledAt: string | null
}

export interface PodStatus {
  name: string
  phase: string
  ready: boolean
  restarts: number
  /** Why a container is waiting now (CrashLoopBackOff, ImagePullBackOff, …). */
  waitingReason: string | null
  lastTermination: { reason: string, exitCode: number, finishedAt: string | null } | null
  startedAt: string | null
}

export interface QuotaStatus {
  name: string
  hard: Record<string, string>
  used: Record<string, string>
}

export interface PodLogQuery { namespace: string, pod: string, tailLines: number, sinceSeconds: number }

/** The narrow view of a cluster the tools need. Every call is bounded by a timeout. */
export interface Cluster {
  /** Where it points (server URL), for notes and logs. */
  readonly server: string
  /** The Argo CD Application `<tenant>-<service>`, or null when it does not exist (yet). */
  application(name: string): Promise<ApplicationStatus | null>
  pods(namespace: string, labelSelector: string): Promise<PodStatus[]>
  /** ResourceQuotas of a namespace. */
  quotas(namespace: string): Promise<QuotaStatus[]>
  /** Log lines of one pod (all containers' default), oldest first, with timestamps. */
  podLogs(query: PodLogQuery): Promise<LogEntry[]>
}
