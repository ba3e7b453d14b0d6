import { existsSync } from 'node:fs'
import { KubeConfig } from '@kubernetes/client-node'
import type { Settings } from '../../settings'
import { KubernetesCluster } from './client'
import type { Cluster, Workflows } from './types'
import { KubernetesWorkflows } from './workflows'

export type { Cluster, ListedApplication, WorkflowState, Workflows } from './types'

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

/**
 * The kubeconfig named by KUBECONFIG, else the in-cluster service account, else null.
 * ~/.kube/config is deliberately not consulted: a developer's own cluster must never be
 * picked up by accident.
 */
function kubeConfig(): KubeConfig | null {
  const env = process.env
  const kc = new KubeConfig()
  if (env.KUBECONFIG) {
    try { kc.loadFromDefault() }
    catch (err) { throw new Error(`KUBECONFIG=${env.KUBECONFIG} could not be loaded: ${(err as Error).message}`) }
  }
  else if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster()
  }
  else {
    return null
  }
  return kc
}

/** The cluster MCTL reads live state from; null: tools answer "no cluster connected". */
export function createCluster(settings: Settings['cluster']): Cluster | null {
  const kc = kubeConfig()
  return kc && new KubernetesCluster(kc, settings)
}

/** Argo Workflows for NUXT_ENGINE=argo: the same cluster connection, in the engine's namespace. */
export function createWorkflows(settings: Settings): Workflows {
  const kc = kubeConfig()
  if (!kc) throw new Error('NUXT_ENGINE=argo needs a cluster: set KUBECONFIG or run MCTL in the cluster with a service account')
  return new KubernetesWorkflows(kc, settings.engine.argo.namespace, settings.cluster.timeoutMs)
}
