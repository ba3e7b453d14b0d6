// The Helm chart under deploy/helm, rendered by Helm's template engine (tests/helm/render.go:
// Go's text/template with sprig and Helm's functions) and every object it renders checked
// against the Kubernetes schemas, with the wiring between them (names, labels, ports).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as jsyaml from 'js-yaml'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole'
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding'
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role'
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount, Deployment, Ingress, ClusterRole, ClusterRoleBinding, Role, RoleBinding,
}

interface K8sObject { apiVersion: string, kind: string, metadata: { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }, [key: string]: any }

let work: string
let renderer: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mctl-helm-'))
  renderer = join(work, 'render')
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'mctl-go-cache') }
  try {
    execFileSync('go', ['build', '-o', renderer, join(root, 'tests/helm/render.go')], { env, stdio: 'pipe' })
  }
  catch (err) {
    throw new Error(`building the chart renderer needs Go and sprig from Debian (apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev; npm test installs them when run as root): ${String((err as { stderr?: Buffer }).stderr ?? err)}`)
  }
}, 120_000)

/** `helm template mctl deploy/helm/mctl --namespace platform` with these values over values.yaml. */
function render(values: Record<string, unknown> = {}) {
  const file = join(work, `values-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify(values))
  const { files } = JSON.parse(execFileSync(renderer, [join(root, 'deploy/helm/mctl'), 'mctl', 'platform', file], { encoding: 'utf8' })) as { files: Record<string, string> }
  const objects = Object.entries(files).filter(([name]) => name.endsWith('.yaml'))
    .flatMap(([, text]) => jsyaml.loadAll(text).filter(Boolean) as K8sObject[])
  const one = (kind: string, name?: string) => {
    const found = objects.filter(o => o.kind === kind && (!name || o.metadata.name === name))
    expect(found, `${kind} ${name ?? ''}`).toHaveLength(1)
    return found[0]!
  }
  return { files, objects, one, kinds: objects.map(o => `${o.kind}/${o.metadata.name}`).sort() }
}

describe('the Helm chart', () => {
  it('renders its defaults into objects the Kubernetes schemas accept, wired to each other', () => {
    const { objects, one, kinds, files } = render()
    expect(kinds).toEqual([
      'ClusterRole/mctl-read', 'ClusterRoleBinding/mctl-read', 'ConfigMap/mctl-settings', 'Deployment/mctl', 'Ingress/mctl',
      'PersistentVolumeClaim/mctl-data', 'Role/mctl-argocd', 'RoleBinding/mctl-argocd', 'Service/mctl', 'ServiceAccount/mctl',
    ])
    for (const object of objects) {
      expect(() => new MODELS[object.kind]!(object as never).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow()
      expect(object.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm')
    }

    const deployment = one('Deployment')
    const pod = deployment.spec.template
    const [container] = pod.spec.containers
    expect(container.image).toBe('ghcr.io/mctl/mctl:0.1.0') // the chart's appVersion
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 })
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' })
    expect(deployment.spec.strategy.type).toBe('Recreate') // one writer of SQLite and the clone
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels)

    // The data volume is the PVC, mounted where the settings say the data lives.
    const claim = one('PersistentVolumeClaim')
    expect(pod.spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName).toBe(claim.metadata.name)
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' })
    expect(claim.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep')
    const settings = one('ConfigMap')
    expect(settings.data).toMatchObject({ NUXT_DATA_DIR: '/data', NUXT_PUBLIC_BASE_URL: 'https://mctl.example.com', NUXT_GITOPS_BRANCH: 'main' })
    expect(settings.data.NUXT_ENGINE).toBeUndefined()
    expect(container.envFrom).toEqual([{ configMapRef: { name: settings.metadata.name } }])

    // Service → pods, Ingress → Service, on the host of the public URL.
    const service = one('Service')
    expect(service.spec.selector).toEqual(pod.metadata.labels)
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }])
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000 }])
    const ingress = one('Ingress')
    expect(ingress.spec.rules).toEqual([{ host: 'mctl.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: 'http' } } } }] } }])
    expect(ingress.spec.tls).toEqual([{ hosts: ['mctl.example.com'], secretName: 'mctl-tls' }])

    // Least privilege: reads of pods, logs and quotas; Argo CD Applications in argocd; no Workflows.
    const account = one('ServiceAccount')
    expect(pod.spec.serviceAccountName).toBe(account.metadata.name)
    expect(one('ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['pods', 'pods/log', 'resourcequotas'], verbs: ['get', 'list', 'watch'] }])
    const argocd = one('Role', 'mctl-argocd')
    expect(argocd.metadata.namespace).toBe('argocd')
    expect(argocd.rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list', 'watch', 'patch'] }])
    for (const binding of [one('ClusterRoleBinding'), one('RoleBinding')]) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account.metadata.name, namespace: 'platform' }])
    }
    expect(files['mctl/templates/NOTES.txt']).toContain('https://mctl.example.com/mcp')
  })

  it('gives the Argo engine its settings and the right to run Workflows only when it is chosen', () => {
    const { one, objects } = render({ engine: { kind: 'argo', registrySecret: 'regcred', gitSecret: 'git-creds' }, existingSecret: 'mctl-env', image: { tag: '1.2.3' } })
    for (const object of objects) expect(() => new MODELS[object.kind]!(object as never).validate()).not.toThrow()
    const deployment = one('Deployment')
    const [container] = deployment.spec.template.spec.containers
    expect(container.image).toBe('ghcr.io/mctl/mctl:1.2.3')
    expect(one('ConfigMap').data).toMatchObject({
      NUXT_ENGINE: 'argo',
      NUXT_ENGINE_NAMESPACE: 'platform',
      NUXT_ENGINE_IMAGE: container.image, // the runner pods run this same image
      NUXT_ENGINE_DATA_CLAIM: one('PersistentVolumeClaim').metadata.name,
      NUXT_ENGINE_SERVICE_ACCOUNT: one('ServiceAccount').metadata.name,
      NUXT_ENGINE_ENV_CONFIG_MAP: 'mctl-settings',
      NUXT_ENGINE_ENV_SECRET: 'mctl-env',
      NUXT_ENGINE_REGISTRY_SECRET: 'regcred',
      NUXT_ENGINE_GIT_SECRET: 'git-creds',
    })
    expect(one('Role', 'mctl-workflows').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list', 'watch'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ])
    expect(one('RoleBinding', 'mctl-workflows').subjects).toEqual([{ kind: 'ServiceAccount', name: 'mctl', namespace: 'platform' }])
    // An existing Secret is referenced, never created.
    expect(container.envFrom).toContainEqual({ secretRef: { name: 'mctl-env' } })
    expect(objects.some(o => o.kind === 'Secret')).toBe(false)
  })

  it('creates the settings Secret from secretEnv, and restarts the pods when the settings change', () => {
    const plain = render()
    const { one } = render({ secretEnv: { NUXT_GITOPS_TOKEN: 'ghp_example' }, env: { NUXT_LOKI_URL: 'http://loki.monitoring.svc' } })
    const secret = one('Secret')
    expect(secret.metadata.name).toBe('mctl-env')
    expect(secret.stringData).toEqual({ NUXT_GITOPS_TOKEN: 'ghp_example' })
    const deployment = one('Deployment')
    expect(deployment.spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: 'mctl-env' } })
    expect(one('ConfigMap').data.NUXT_LOKI_URL).toBe('http://loki.monitoring.svc')
    const checksum = (d: K8sObject) => d.spec.template.metadata.annotations['checksum/settings']
    expect(checksum(deployment)).toMatch(/^[0-9a-f]{64}$/)
    expect(checksum(deployment)).not.toBe(checksum(plain.one('Deployment')))
  })

  it('leaves out what is switched off', () => {
    const { kinds, one } = render({
      ingress: { enabled: false }, rbac: { create: false }, serviceAccount: { create: false, name: 'platform-sa' },
      persistence: { storageClass: 'fast-ssd', size: '50Gi' }, nodeSelector: { pool: 'system' },
    })
    expect(kinds).toEqual(['ConfigMap/mctl-settings', 'Deployment/mctl', 'PersistentVolumeClaim/mctl-data', 'Service/mctl'])
    const pod = one('Deployment').spec.template.spec
    expect(pod.serviceAccountName).toBe('platform-sa')
    expect(pod.nodeSelector).toEqual({ pool: 'system' })
    expect(one('PersistentVolumeClaim').spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } })
  })
})
