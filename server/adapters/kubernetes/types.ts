import type { LogEntry } from '../types'

/** What MCTL reads from a cluster, in our own shapes (no client-node types leak out). */

export interface ApplicationStatus {
  syncStatus: string
  healthStatus: string
  revision: string | null
  message: string | null
  reconciledAt: string | null
  /** `<Kind>/<name>` of the resources whose live state differs from git (`status.resources[].status` OutOfSync). */
  outOfSync: string[]
}

/** An Application as the catalog lists it: its status and when Argo CD last synced it. */
export interface ListedApplication extends ApplicationStatus {
  syncedAt: string | null
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

/** A Warning event (e.g. a ReplicaSet's FailedCreate: "exceeded quota"). */
export interface ClusterEvent {
  /** `<Kind>/<name>` of the object it is about. */
  object: string
  reason: string
  message: string
  count: number
  lastTime: string | null
}

export interface PodLogQuery { namespace: string, pod: string, tailLines: number, sinceSeconds: number }

/** The narrow view of a cluster the tools need. Every call is bounded by a timeout. */
export interface Cluster {
  /** Where it points (server URL), for notes and logs. */
  readonly server: string
  /** The Argo CD Application `<tenant>-<service>`, or null when it does not exist (yet). */
  application(name: string): Promise<ApplicationStatus | null>
  /**
   * Asks Argo CD to sync the Application to git now, as `argocd app sync` does: a merge patch
   * of its `operation.sync`. Reverts what was changed in the cluster outside git.
   */
  syncApplication(name: string): Promise<void>
  /** Every Application of the Argo CD namespace by name, in one list call cached for a few seconds. */
  applications(): Promise<Map<string, ListedApplication>>
  pods(namespace: string, labelSelector: string): Promise<PodStatus[]>
  /** The Warning events of a namespace, newest first. */
  events(namespace: string): Promise<ClusterEvent[]>
  /** ResourceQuotas of a namespace. */
  quotas(namespace: string): Promise<QuotaStatus[]>
  /** Log lines of one pod (all containers' default), oldest first, with timestamps. */
  podLogs(query: PodLogQuery): Promise<LogEntry[]>
}

/** One node of an Argo Workflow (a step's pod), as read back from `status.nodes`. */
export interface WorkflowNode {
  /** The template step's name (e.g. `build-image`, `run`). */
  displayName: string
  type: string
  /** Pending, Running, Succeeded, Failed, Error, Skipped, Omitted. */
  phase: string
  message: string | null
}

export interface WorkflowState {
  name: string
  /** '' until the Argo controller has picked the Workflow up; then Pending, Running, Succeeded, Failed or Error. */
  phase: string
  message: string | null
  /** Pod nodes only, in start order. */
  nodes: WorkflowNode[]
}

/** Argo Workflows in one namespace, through the Kubernetes API (`argoproj.io/v1alpha1`). */
export interface Workflows {
  readonly namespace: string
  /** Creates a Workflow object; false when one of that name exists already (submitted before a restart). */
  create(manifest: Record<string, unknown>): Promise<boolean>
  /** The Workflow's phase and pod nodes, or null when it does not exist. */
  get(name: string): Promise<WorkflowState | null>
}
