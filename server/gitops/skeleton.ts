import type { Changes } from './repo'
import type { PlatformSpec } from './specs'
import { toYaml } from './yaml'

const appSet = (name: string, path: string, appName: string, project: string, repoURL: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name, namespace: 'argocd' },
  spec: {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [{ git: { repoURL, revision: 'HEAD', directories: [{ path }] } }],
    template: {
      metadata: { name: appName, labels: { 'app.kubernetes.io/managed-by': 'mctl', 'mctl.dev/tenant': '{{ index .path.segments 1 }}' } },
      spec: {
        project,
        source: { repoURL, targetRevision: 'HEAD', path: '{{ .path.path }}', directory: { recurse: false } },
        destination: { server: 'https://kubernetes.default.svc', namespace: '{{ index .path.segments 1 }}' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
      },
    },
  },
})

const README = `# Platform GitOps repository

Written by MCTL, applied by Argo CD. Each object has a small spec file people may edit
(\`tenant.yaml\`, \`service.yaml\`) and a \`manifests/\` folder rendered from it by MCTL in the
same commit. Argo CD applies the \`manifests/\` folders through the ApplicationSets in
\`platform/argocd/\`.

- \`mctl.yaml\` — platform settings (base domain, default quotas, admin groups, registries)
- \`tenants/<tenant>/\` — a tenant (namespace, quota, network policies, RBAC, Argo CD project)
- \`tenants/<tenant>/services/<service>/\` — a service of that tenant
`

/** The first commit of a new GitOps repository (GITOPS.md layout). */
export function skeletonFiles(platform: PlatformSpec): Changes {
  const repoURL = platform.gitopsRepoUrl || 'https://git.example.com/platform/gitops.git'
  const platformProject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'mctl-platform', namespace: 'argocd' },
    spec: {
      description: 'Tenant namespaces, quotas, policies and projects rendered by MCTL',
      sourceRepos: [repoURL],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    },
  }
  const sharedPg = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'shared-pg', namespace: 'database' },
    spec: { instances: 2, storage: { size: '20Gi' }, managed: { roles: [] } },
  }
  // PgBouncer in front of the cluster: what the apps' DB_HOST points at (gitops/databases.ts).
  const pooler = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Pooler',
    metadata: { name: 'shared-pg-pooler-rw', namespace: 'database' },
    spec: { cluster: { name: 'shared-pg' }, instances: 2, type: 'rw', pgbouncer: { poolMode: 'transaction' } },
  }
  const databasesApp = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'mctl-databases', namespace: 'argocd' },
    spec: {
      project: 'mctl-platform',
      source: { repoURL, targetRevision: 'HEAD', path: 'platform/databases/shared-pg', directory: { recurse: true } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'database' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  }
  return new Map([
    ['README.md', README],
    ['mctl.yaml', `# MCTL platform settings. Hand edits are picked up on the next commit.\n${toYaml(platform)}`],
    ['platform/argocd/project-platform.yaml', toYaml(platformProject)],
    ['platform/argocd/applicationset-tenants.yaml', toYaml(appSet('mctl-tenants', 'tenants/*/manifests', 'tenant-{{ index .path.segments 1 }}', 'mctl-platform', repoURL))],
    ['platform/argocd/applicationset-services.yaml', toYaml(appSet('mctl-services', 'tenants/*/services/*/manifests', '{{ index .path.segments 1 }}-{{ index .path.segments 3 }}', '{{ index .path.segments 1 }}', repoURL))],
    ['platform/argocd/applicationset-previews.yaml', toYaml(appSet('mctl-previews', 'tenants/*/previews/*/manifests', '{{ index .path.segments 1 }}-preview-{{ index .path.segments 3 }}', '{{ index .path.segments 1 }}', repoURL))],
    ['platform/argocd/application-databases.yaml', toYaml(databasesApp)],
    ['platform/databases/shared-pg/cluster.yaml', toYaml(sharedPg)],
    ['platform/databases/shared-pg/pooler.yaml', toYaml(pooler)],
  ])
}
