import { Namespace } from 'kubernetes-models/v1/Namespace'
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota'
import { LimitRange } from 'kubernetes-models/v1/LimitRange'
import { Service } from 'kubernetes-models/v1/Service'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role'
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate'
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret'
import { Database } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database'
import { Cluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster'
import { Pooler } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Pooler'

type Model = new (data: any) => { validate(): void }

/**
 * Every kind MCTL renders, with the kubernetes-models class that validates it against the
 * Kubernetes (or CRD) OpenAPI schema, and whether it is namespaced.
 */
const KINDS: Record<string, { model: Model, namespaced: boolean }> = {
  'v1/Namespace': { model: Namespace, namespaced: false },
  'v1/ResourceQuota': { model: ResourceQuota, namespaced: true },
  'v1/LimitRange': { model: LimitRange, namespaced: true },
  'v1/Service': { model: Service, namespaced: true },
  'v1/ConfigMap': { model: ConfigMap, namespaced: true },
  'v1/ServiceAccount': { model: ServiceAccount, namespaced: true },
  'apps/v1/Deployment': { model: Deployment, namespaced: true },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, namespaced: true },
  'networking.k8s.io/v1/Ingress': { model: Ingress, namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, namespaced: true },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, namespaced: true },
  'argoproj.io/v1alpha1/AppProject': { model: AppProject, namespaced: true },
  'cert-manager.io/v1/Certificate': { model: Certificate, namespaced: true },
  'external-secrets.io/v1beta1/ExternalSecret': { model: ExternalSecret, namespaced: true },
  'postgresql.cnpg.io/v1/Database': { model: Database, namespaced: true },
  'postgresql.cnpg.io/v1/Cluster': { model: Cluster, namespaced: true },
  'postgresql.cnpg.io/v1/Pooler': { model: Pooler, namespaced: true },
}

export function kindOf(obj: { apiVersion?: string, kind?: string }) {
  return KINDS[`${obj.apiVersion}/${obj.kind}`]
}

/** Validates one manifest against its schema; returns the problem or null. */
export function schemaProblem(obj: Record<string, any>): string | null {
  const kind = kindOf(obj)
  if (!kind) return `kind ${obj.apiVersion}/${obj.kind} is not one MCTL manages`
  try {
    new kind.model(obj).validate()
    return null
  }
  catch (err) {
    return (err as Error).message.replace(/^data\//, '')
  }
}
