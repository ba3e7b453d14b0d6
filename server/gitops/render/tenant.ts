import { Namespace } from 'kubernetes-models/v1/Namespace'
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota'
import { LimitRange } from 'kubernetes-models/v1/LimitRange'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec'
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'
import type { Changes } from '../repo'
import type { PlatformSpec, TenantSpec } from '../specs'
import { tenantSpecPath } from '../state'
import { plain, toYaml, toYamlDocuments } from '../yaml'
import { tenantLabels } from './labels'

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10']

/**
 * The manifests of a tenant's namespace, rendered from tenant.yaml: one file per concern
 * under tenants/<t>/manifests/. Pure and deterministic.
 */
export function renderTenantManifests(name: string, spec: TenantSpec, platform: PlatformSpec): Record<string, string> {
  const labels = tenantLabels(name)
  const meta = (n: string) => ({ name: n, namespace: name, labels })

  const namespace = plain(new Namespace({ metadata: { name, labels } }))

  const quota = plain(new ResourceQuota({
    metadata: meta('tenant-quota'),
    spec: {
      hard: {
        'requests.cpu': spec.quotas.cpu,
        'requests.memory': spec.quotas.memory,
        'pods': String(spec.quotas.pods),
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  }))

  const limits = plain(new LimitRange({
    metadata: meta('tenant-defaults'),
    spec: {
      limits: [{
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { cpu: '500m', memory: '512Mi' },
      }],
    },
  }))

  const policy = (n: string, spec: INetworkPolicySpec) => plain(new NetworkPolicy({ metadata: meta(n), spec }))
  const policies = [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    policy('allow-ingress-controller', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }],
    }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
    policy('allow-shared-database', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'database' } } }],
        ports: [{ protocol: 'TCP', port: 5432 }],
      }],
    }),
    ...(spec.networking.allowInternetEgress
      ? [policy('allow-internet-egress', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }] }],
        })]
      : []),
  ]

  const subjects = [
    ...[...spec.members].sort((a, b) => a.userId.localeCompare(b.userId))
      .map(m => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: m.userId })),
    ...[...spec.groups].sort().map(g => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  ]
  // People read their namespace; they change it only through MCTL (GitOps), never kubectl.
  const rbac = plain(new RoleBinding({
    metadata: meta('mctl-members-view'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects,
  }))

  const project = plain(new AppProject({
    metadata: { name, namespace: 'argocd', labels },
    spec: {
      description: `Tenant ${name}: ${spec.displayName}`,
      sourceRepos: [platform.gitopsRepoUrl || '*'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: name }],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      ],
    },
  }))

  const dir = `tenants/${name}/manifests`
  return {
    [`${dir}/namespace.yaml`]: toYaml(namespace),
    [`${dir}/resourcequota.yaml`]: toYaml(quota),
    [`${dir}/limitrange.yaml`]: toYaml(limits),
    [`${dir}/networkpolicies.yaml`]: toYamlDocuments(policies),
    [`${dir}/rbac.yaml`]: toYaml(rbac),
    [`${dir}/appproject.yaml`]: toYaml(project),
  }
}

/** tenant.yaml and the manifests rendered from it: what a commit that edits a tenant writes. */
export function tenantChanges(name: string, spec: TenantSpec, platform: PlatformSpec): Changes {
  return new Map<string, string | null>([[tenantSpecPath(name), toYaml(spec)], ...Object.entries(renderTenantManifests(name, spec, platform))])
}
