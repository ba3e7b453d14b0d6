import {
  ApiException, CoreV1Api, createConfiguration, CustomObjectsApi, type KubeConfig, PatchStrategy, ServerConfiguration, setHeaderOptions,
  type V1ContainerStatus, type V1Pod,
} from '@kubernetes/client-node'
import { fetchFailure } from '../http'
import { upstream } from '../../utils/errors'
import type { LogEntry } from '../types'
import type { ApplicationStatus, Cluster, ClusterEvent, ListedApplication, PodLogQuery, PodStatus, QuotaStatus } from './types'

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null)
/** How long one list of every Application answers the catalog: pages polled by many browsers cost one call. */
const APPLICATIONS_TTL_MS = 5_000
const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' }

/** The Kubernetes API through @kubernetes/client-node. */
export class KubernetesCluster implements Cluster {
  readonly server: string
  private readonly core: CoreV1Api
  private readonly custom: CustomObjectsApi
  private listed?: { at: number, apps: Promise<Map<string, ListedApplication>> }

  constructor(kc: KubeConfig, private readonly opts: { timeoutMs: number, argocdNamespace: string }) {
    const { server, config } = apiConfiguration(kc, opts.timeoutMs)
    this.server = server
    this.core = new CoreV1Api(config)
    this.custom = new CustomObjectsApi(config)
  }

  async application(name: string): Promise<ApplicationStatus | null> {
    const app = await this.call(`reading Argo CD application ${name}`, () => this.custom.getNamespacedCustomObject({
      ...ARGO, namespace: this.opts.argocdNamespace, name,
    }), true)
    return app && applicationStatus(app)
  }

  applications(): Promise<Map<string, ListedApplication>> {
    if (this.listed && Date.now() - this.listed.at < APPLICATIONS_TTL_MS) return this.listed.apps
    const apps = this.call('listing Argo CD applications', () => this.custom.listNamespacedCustomObject({ ...ARGO, namespace: this.opts.argocdNamespace }))
      .then(list => new Map<string, ListedApplication>((list?.items ?? []).map((app: any) => [app.metadata?.name ?? '', {
        ...applicationStatus(app),
        syncedAt: iso(app.status?.operationState?.finishedAt),
      }])))
    // Failures are kept as long: a cluster that does not answer costs one timeout, not one per page.
    this.listed = { at: Date.now(), apps }
    return apps
  }

  async syncApplication(name: string) {
    await this.call(`asking Argo CD to sync application ${name}`, () => this.custom.patchNamespacedCustomObject({
      group: 'argoproj.io', version: 'v1alpha1', namespace: this.opts.argocdNamespace, plural: 'applications', name,
      body: { operation: { initiatedBy: { username: 'mctl' }, sync: { syncStrategy: { hook: {} } } } },
    }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)))
  }

  async pods(namespace: string, labelSelector: string): Promise<PodStatus[]> {
    const list = await this.call(`listing pods in ${namespace}`, () => this.core.listNamespacedPod({ namespace, labelSelector }))
    return (list?.items ?? []).map(podStatus).sort((a, b) => a.name.localeCompare(b.name))
  }

  async events(namespace: string): Promise<ClusterEvent[]> {
    const list = await this.call(`listing events in ${namespace}`, () => this.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }))
    return (list?.items ?? []).map(e => ({
      object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
      lastTime: iso(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp),
    })).sort((a, b) => (b.lastTime ?? '').localeCompare(a.lastTime ?? ''))
  }

  async quotas(namespace: string): Promise<QuotaStatus[]> {
    const list = await this.call(`reading resource quotas of ${namespace}`, () => this.core.listNamespacedResourceQuota({ namespace }))
    return (list?.items ?? []).map(q => ({
      name: q.metadata?.name ?? '',
      hard: { ...q.status?.hard ?? q.spec?.hard },
      used: { ...q.status?.used },
    }))
  }

  async podLogs(q: PodLogQuery): Promise<LogEntry[]> {
    const text = await this.call(`reading logs of pod ${q.pod}`, () => this.core.readNamespacedPodLog({
      name: q.pod, namespace: q.namespace, tailLines: q.tailLines, sinceSeconds: q.sinceSeconds, timestamps: true,
    })) ?? ''
    // With timestamps=true every line starts with an RFC 3339 time and a space.
    return text.split('\n').filter(Boolean).map((raw) => {
      const space = raw.indexOf(' ')
      const time = Date.parse(raw.slice(0, space))
      return Number.isNaN(time)
        ? { timestamp: '', line: raw, labels: { namespace: q.namespace, pod: q.pod } }
        : { timestamp: new Date(time).toISOString(), line: raw.slice(space + 1), labels: { namespace: q.namespace, pod: q.pod } }
    })
  }

  private call<T>(what: string, fn: () => Promise<T>, missingOk = false): Promise<T | null> {
    return callApi(this.server, this.opts.timeoutMs, what, fn, missingOk)
  }
}

/** The API configuration of a kubeconfig's current cluster; every request carries its own deadline. */
export function apiConfiguration(kc: KubeConfig, timeoutMs: number) {
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new Error('the kubeconfig has no current cluster')
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    // A cluster that accepts the connection and never answers must not hang a request.
    promiseMiddleware: [{
      pre: async (ctx) => { ctx.setSignal(AbortSignal.timeout(timeoutMs)); return ctx },
      post: async ctx => ctx,
    }],
  })
  return { server: cluster.server, config }
}

/** Runs one API call; 404 is null when `missingOk`, every other failure says what we were doing. */
export async function callApi<T>(server: string, timeoutMs: number, what: string, fn: () => Promise<T>, missingOk = false): Promise<T | null> {
  try {
    return await fn()
  }
  catch (err) {
    if (err instanceof ApiException) {
      if (err.code === 404 && missingOk) return null
      throw upstream(`${what}: HTTP ${err.code}${statusMessage(err.body)}`)
    }
    throw upstream(`${what} at ${server}: ${fetchFailure(err, timeoutMs)}`)
  }
}

function statusMessage(body: unknown): string {
  let b = body
  if (typeof body === 'string') {
    try { b = JSON.parse(body) }
    catch { return body ? `: ${body.slice(0, 200)}` : '' }
  }
  const message = (b as { message?: string } | null)?.message
  return message ? `: ${message}` : ''
}

/** An Application object (untyped JSON from the custom objects API) in our shape. */
function applicationStatus(app: any): ApplicationStatus {
  const s = app.status ?? {}
  return {
    syncStatus: s.sync?.status ?? 'Unknown',
    healthStatus: s.health?.status ?? 'Unknown',
    revision: s.sync?.revision ?? null,
    message: s.health?.message ?? s.operationState?.message ?? s.conditions?.[0]?.message ?? null,
    reconciledAt: iso(s.reconciledAt),
    outOfSync: ((s.resources ?? []) as { kind?: string, name?: string, status?: string }[]).filter(r => r.status === 'OutOfSync').map(r => `${r.kind}/${r.name}`),
  }
}

function podStatus(pod: V1Pod): PodStatus {
  const containers: V1ContainerStatus[] = pod.status?.containerStatuses ?? []
  const terminated = containers.map(c => c.lastState?.terminated ?? c.state?.terminated).filter(t => !!t)
    .sort((a, b) => String(iso(b!.finishedAt)).localeCompare(String(iso(a!.finishedAt))))[0]
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: containers.length > 0 && containers.every(c => c.ready),
    restarts: containers.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    waitingReason: containers.map(c => c.state?.waiting?.reason).find(Boolean) ?? null,
    lastTermination: terminated
      ? { reason: terminated.reason ?? 'Unknown', exitCode: terminated.exitCode ?? 0, finishedAt: iso(terminated.finishedAt) }
      : null,
    startedAt: iso(pod.status?.startTime),
  }
}
