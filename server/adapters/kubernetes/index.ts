import { existsSync } from 'node:fs'
import { KubeConfig } from '@kubernetes/client-node'
import type { Settings } from '../../settings'
import { KubernetesCluster } from './client'
import type { Cluster } from './types'

export type { Cluster } from './types'

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

/**
 * The cluster MCTL reads live state from: the kubeconfig named by KUBECONFIG, else the
 * in-cluster service account, else none (tools then answer "no cluster connected").
 * ~/.kube/config is deliberately not consulted: a developer's own cluster must never be
 * picked up by accident.
 */
export function createCluster(settings: Settings['cluster']): Cluster | null {
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
  return new KubernetesCluster(kc, settings)
}
