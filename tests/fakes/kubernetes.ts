// A loopback fake of the Kubernetes API paths MCTL uses: core/v1 pods, pods/log, events and
// resourcequotas, argoproj.io/v1alpha1 applications (read, list, merge-patch) and workflows (create, read).
// Real paths, verbs, status codes and JSON shapes (List objects, metav1.Status errors),
// bearer-token authentication. Nothing runs a Workflow: the test advances it (`advance`).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { json, listen, type Fake } from './http'

export interface FakeKubernetes extends Fake {
  token: string
  pods: Map<string, any[]>
  /** `<namespace>/<pod>` → [time, line] */
  logs: Map<string, [Date, string][]>
  quotas: Map<string, any[]>
  /** namespace → core/v1 Event objects (a `type=Warning` field selector is honoured). */
  events: Map<string, any[]>
  applications: Map<string, any>
  /** Merge patches received for applications, in order (`argocd app sync` sets `operation.sync`). */
  applicationPatches: { namespace: string, name: string, patch: any }[]
  /** `<namespace>/<name>` → the Workflow object as created, with the status `advance` set. */
  workflows: Map<string, any>
  /**
   * Moves a Workflow on as the Argo controller would: its phase, and its pod nodes (named by
   * template step) with their phases and messages.
   */
  advance(namespace: string, name: string, phase: string, nodes?: { displayName: string, phase: string, message?: string }[]): void
  /** Writes a kubeconfig pointing at this fake; returns its path. */
  kubeconfig(dir: string, server?: string): string
}

const status = (code: number, reason: string, message: string) =>
  ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code })

/** Equality-based label selectors, as kubectl sends them (`a=b,c=d`). */
function matches(labels: Record<string, string> = {}, selector: string | null) {
  return !selector || selector.split(',').every((term) => {
    const [k, v] = term.split('=')
    return labels[k!] === v
  })
}

export async function startKubernetesFake(token = 'fake-cluster-token'): Promise<FakeKubernetes> {
  const pods = new Map<string, any[]>()
  const logs = new Map<string, [Date, string][]>()
  const quotas = new Map<string, any[]>()
  const events = new Map<string, any[]>()
  const applications = new Map<string, any>()
  const applicationPatches: FakeKubernetes['applicationPatches'] = []
  const workflows = new Map<string, any>()
  let m: RegExpExecArray | null
  const fake = await listen((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'))
    if ((m = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/workflows$/.exec(req.path)) && req.method === 'POST') {
      const wf = JSON.parse(req.body)
      const key = `${m[1]}/${wf.metadata?.name}`
      if (wf.kind !== 'Workflow' || !wf.metadata?.name) return json(res, 422, status(422, 'Invalid', 'Workflow.argoproj.io is invalid: metadata.name: Required value'))
      if (workflows.has(key)) return json(res, 409, status(409, 'AlreadyExists', `workflows.argoproj.io "${wf.metadata.name}" already exists`))
      const created = { ...wf, metadata: { ...wf.metadata, namespace: m[1], uid: `uid-${wf.metadata.name}`, creationTimestamp: new Date().toISOString() }, status: {} }
      workflows.set(key, created)
      return json(res, 201, created)
    }
    if ((m = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications\/([^/]+)$/.exec(req.path)) && req.method === 'PATCH') {
      const app = applications.get(`${m[1]}/${m[2]}`)
      if (!app) return json(res, 404, status(404, 'NotFound', `applications.argoproj.io "${m[2]}" not found`))
      if (!String(req.headers['content-type']).startsWith('application/merge-patch+json')) return json(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`))
      const patch = JSON.parse(req.body)
      applicationPatches.push({ namespace: m[1]!, name: m[2]!, patch })
      Object.assign(app, { operation: patch.operation ?? app.operation })
      return json(res, 200, app)
    }
    if (req.method !== 'GET') return json(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`))
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(req.path))) {
      const items = (pods.get(m[1]!) ?? []).filter(p => matches(p.metadata.labels, req.query.get('labelSelector')))
      return json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items })
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(req.path))) {
      const [, ns, pod] = m as unknown as [string, string, string]
      if (!(pods.get(ns) ?? []).some(p => p.metadata.name === pod)) return json(res, 404, status(404, 'NotFound', `pods "${pod}" not found`))
      const since = Number(req.query.get('sinceSeconds') ?? 0)
      const tail = Number(req.query.get('tailLines') ?? 0)
      let lines = (logs.get(`${ns}/${pod}`) ?? []).filter(([t]) => !since || t.getTime() >= Date.now() - since * 1000)
      if (tail) lines = lines.slice(-tail)
      const stamp = req.query.get('timestamps') === 'true'
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end(lines.map(([t, l]) => `${stamp ? `${t.toISOString()} ` : ''}${l}\n`).join(''))
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(req.path))) {
      const type = /^type=(\w+)$/.exec(req.query.get('fieldSelector') ?? '')?.[1]
      const items = (events.get(m[1]!) ?? []).filter(e => !type || e.type === type)
      return json(res, 200, { kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items })
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/resourcequotas$/.exec(req.path))) {
      return json(res, 200, { kind: 'ResourceQuotaList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: quotas.get(m[1]!) ?? [] })
    }
    if ((m = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications$/.exec(req.path))) {
      const items = [...applications].filter(([key]) => key.startsWith(`${m![1]}/`)).map(([, app]) => app)
      return json(res, 200, { kind: 'ApplicationList', apiVersion: 'argoproj.io/v1alpha1', metadata: { resourceVersion: '1' }, items })
    }
    if ((m = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications\/([^/]+)$/.exec(req.path))) {
      const app = applications.get(`${m[1]}/${m[2]}`)
      return app ? json(res, 200, app) : json(res, 404, status(404, 'NotFound', `applications.argoproj.io "${m[2]}" not found`))
    }
    if ((m = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/workflows\/([^/]+)$/.exec(req.path))) {
      const wf = workflows.get(`${m[1]}/${m[2]}`)
      return wf ? json(res, 200, wf) : json(res, 404, status(404, 'NotFound', `workflows.argoproj.io "${m[2]}" not found`))
    }
    json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'))
  })
  return {
    ...fake,
    token,
    pods,
    logs,
    quotas,
    events,
    applications,
    applicationPatches,
    workflows,
    advance(namespace, name, phase, nodes = []) {
      const wf = workflows.get(`${namespace}/${name}`)
      if (!wf) throw new Error(`no Workflow ${namespace}/${name}`)
      const at = Date.now()
      wf.status = {
        phase,
        startedAt: new Date(at).toISOString(),
        ...(['Succeeded', 'Failed', 'Error'].includes(phase) ? { finishedAt: new Date(at).toISOString() } : {}),
        nodes: Object.fromEntries(nodes.map((n, i) => [`${name}-${i}`, {
          id: `${name}-${i}`, name: `${name}[${i}].${n.displayName}`, displayName: n.displayName, type: 'Pod',
          phase: n.phase, startedAt: new Date(at + i * 1000).toISOString(), ...(n.message ? { message: n.message } : {}),
        }])),
      }
    },
    kubeconfig(dir, server = fake.url) {
      const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}.yaml`)
      writeFileSync(path, [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        // Plain HTTP on loopback: client-node refuses it unless TLS verification is off.
        `- name: fake\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
        'users:',
        `- name: mctl\n  user:\n    token: ${token}`,
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: mctl',
        'current-context: fake',
        '',
      ].join('\n'))
      return path
    },
  }
}

/** Realistic object builders for tests. */

export function pod(ns: string, name: string, service: string, o: { ready?: boolean, restarts?: number, waiting?: string, lastTerminated?: { reason: string, exitCode: number } } = {}) {
  const ready = o.ready ?? true
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/name': service, 'mctl.dev/tenant': ns, 'pod-template-hash': '7d9f8b6c5' }, uid: `uid-${name}` },
    spec: { containers: [{ name: service, image: 'ghcr.io/acme/api:1.0.0' }] },
    status: {
      phase: 'Running',
      startTime: '2026-01-01T10:00:00Z',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{
        name: service,
        image: 'ghcr.io/acme/api:1.0.0',
        imageID: 'ghcr.io/acme/api@sha256:0000',
        ready,
        started: ready,
        restartCount: o.restarts ?? 0,
        state: o.waiting ? { waiting: { reason: o.waiting, message: 'back-off restarting failed container' } } : { running: { startedAt: '2026-01-01T10:00:05Z' } },
        lastState: o.lastTerminated
          ? { terminated: { ...o.lastTerminated, startedAt: '2026-01-01T10:05:00Z', finishedAt: '2026-01-01T10:07:00Z' } }
          : {},
      }],
    },
  }
}

export function application(name: string, sync: string, health: string, revision: string, message?: string, syncedAt?: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { project: name.split('-')[0], source: { repoURL: 'https://git.example.com/gitops.git', path: 'tenants/x/services/y/manifests' } },
    status: {
      sync: { status: sync, revision },
      health: { status: health, ...(message ? { message } : {}) },
      reconciledAt: '2026-01-01T10:10:00Z',
      ...(syncedAt ? { operationState: { phase: 'Succeeded', finishedAt: syncedAt } } : {}),
    },
  }
}

export function resourceQuota(ns: string, hard: Record<string, string>, used: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'tenant-quota', namespace: ns }, spec: { hard }, status: { hard, used } }
}
