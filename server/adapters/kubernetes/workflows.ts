import { ApiException, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import { apiConfiguration, callApi } from './client'
import type { WorkflowNode, WorkflowState, Workflows } from './types'

const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const

/** Argo `Workflow` objects of one namespace, created and read through the Kubernetes API. */
export class KubernetesWorkflows implements Workflows {
  readonly server: string
  private readonly custom: CustomObjectsApi

  constructor(kc: KubeConfig, readonly namespace: string, private readonly timeoutMs: number) {
    const { server, config } = apiConfiguration(kc, timeoutMs)
    this.server = server
    this.custom = new CustomObjectsApi(config)
  }

  async create(manifest: Record<string, unknown>): Promise<boolean> {
    const name = (manifest.metadata as { name: string }).name
    const created = await callApi(this.server, this.timeoutMs, `submitting Argo Workflow ${this.namespace}/${name}`, () =>
      this.custom.createNamespacedCustomObject({ ...WORKFLOWS, namespace: this.namespace, body: manifest }).then(
        () => true,
        (err) => { if (err instanceof ApiException && err.code === 409) return false; throw err },
      ))
    return created!
  }

  async get(name: string): Promise<WorkflowState | null> {
    const wf = await callApi(this.server, this.timeoutMs, `reading Argo Workflow ${this.namespace}/${name}`, () =>
      this.custom.getNamespacedCustomObject({ ...WORKFLOWS, namespace: this.namespace, name }), true)
    if (!wf) return null
    const nodes = Object.values<Record<string, any>>(wf.status?.nodes ?? {})
      .filter(n => n.type === 'Pod')
      .sort((a, b) => String(a.startedAt ?? '').localeCompare(String(b.startedAt ?? '')))
      .map((n): WorkflowNode => ({ displayName: String(n.displayName ?? n.name), type: n.type, phase: String(n.phase ?? 'Pending'), message: n.message ?? null }))
    return { name, phase: String(wf.status?.phase ?? ''), message: wf.status?.message ?? null, nodes }
  }
}
