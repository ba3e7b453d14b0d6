import type { ApplicationStatus, ClusterEvent, PodStatus } from '../adapters/kubernetes/types'
import type { Incident } from '../db/schema'
import { deployHistory } from '../gitops/history'
import { labelSelector, serviceSelector } from '../gitops/render/labels'
import type { Services } from '../services'
import { serviceLogs } from '../domain/services/logs'
import { tenantUsage } from '../domain/services/usage'
import { errorMessage } from '../utils/errors'
import { redactor } from './redact'

/** What the agent knew when it analysed an incident (stored in `incidents.evidence`). */
export interface Evidence {
  collectedAt: string
  /** The desired state from git (env values left out: they may be sensitive). */
  service: {
    image: string
    resources: { requests: { cpu: string, memory: string }, limits: { cpu: string, memory: string } }
    replicas: number | null
    autoscaling: { minReplicas: number, maxReplicas: number, cpuThreshold: number } | null
    healthCheckPath: string
    componentType: string
  } | null
  gitHead: string | null
  pods: PodStatus[] | null
  /** The most recent container termination among the pods (OOMKilled, Error, …). */
  lastTermination: { pod: string, reason: string, exitCode: number, finishedAt: string | null } | null
  argocd: ApplicationStatus | null
  /** Recent Warning events of the service's objects (Deployment, ReplicaSets, pods): e.g. FailedCreate for "exceeded quota". */
  events: ClusterEvent[] | null
  deploys: { tag: string, image: string, time: string, author: string, commit: string }[]
  quota: Awaited<ReturnType<typeof tenantUsage>> | null
  logs: { source: string, lines: { timestamp: string, pod: string | null, line: string }[] } | null
  /** What could not be gathered, and why. */
  notes: string[]
}

const LOG_LINES = 30
const DEPLOYS = 5
const EVENTS = 10
const ownName = (object: string) => object.slice(object.indexOf('/') + 1)

/** Gathers evidence through the adapters; a failing source becomes a note, never a failure. */
export async function gatherEvidence(services: Services, incident: Incident): Promise<Evidence> {
  const { index, cluster, repo } = services
  const notes: string[] = []
  const evidence: Evidence = {
    collectedAt: new Date().toISOString(), service: null, gitHead: index.sha, pods: null, lastTermination: null,
    argocd: null, events: null, deploys: [], quota: null, logs: null, notes,
  }
  const tenant = incident.tenant
  const entry = tenant && incident.service ? index.service(tenant, incident.service) : undefined
  if (!tenant) notes.push('the alert is not mapped to a tenant (no known namespace or tenant label)')
  else if (!entry) notes.push(`the alert names no service of tenant "${tenant}" (labels service, app, deployment, container or the pod name)`)
  if (tenant && index.tenant(tenant)) evidence.quota = await tenantUsage(services, tenant)
  if (!tenant || !entry) return evidence

  const { spec, name } = entry
  evidence.service = {
    image: `${spec.image.repository}:${spec.image.tag}`,
    resources: spec.resources,
    replicas: spec.autoscaling ? null : (spec.replicas ?? 1),
    autoscaling: spec.autoscaling ?? null,
    healthCheckPath: spec.healthCheckPath,
    componentType: spec.componentType,
  }
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    try { return await fn() }
    catch (err) { notes.push(`${what}: ${errorMessage(err)}`); return null }
  }
  evidence.deploys = (await attempt('deploy history', () => deployHistory(repo, tenant, name, DEPLOYS)) ?? [])
    .map(d => ({ tag: d.tag, image: d.image, time: d.time, author: d.author, commit: d.commit }))
  if (!cluster) notes.push('no cluster connected: pod status and Argo CD state are unknown')
  else {
    evidence.pods = await attempt('pods', () => cluster.pods(tenant, labelSelector(serviceSelector(tenant, name))))
    evidence.argocd = await attempt('Argo CD application', () => cluster.application(`${tenant}-${name}`))
    evidence.lastTermination = lastTermination(evidence.pods ?? [])
    const events = await attempt('events', () => cluster.events(tenant))
    evidence.events = events && events.filter(e => ownName(e.object) === name || ownName(e.object).startsWith(`${name}-`)).slice(0, EVENTS)
  }
  const logs = await serviceLogs(services, tenant, name, LOG_LINES, '1h')
  if (logs.note) notes.push(`logs: ${logs.note}`)
  const clean = redactor(spec.secretEnv)
  if (logs.source !== 'none') {
    evidence.logs = {
      source: logs.source,
      lines: logs.lines.map(l => ({ timestamp: l.timestamp, pod: l.labels.pod ?? null, line: clean(l.line).slice(0, 500) })),
    }
  }
  return evidence
}

function lastTermination(pods: PodStatus[]): Evidence['lastTermination'] {
  const ended = pods.filter(p => p.lastTermination).map(p => ({ pod: p.name, ...p.lastTermination! }))
  ended.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))
  return ended[0] ?? null
}
