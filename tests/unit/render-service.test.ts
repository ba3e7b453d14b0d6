import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { checkPolicy } from '../../server/gitops/policy'
import { renderServiceManifests, serviceChanges } from '../../server/gitops/render/service'
import { PlatformSpec, ServiceSpec, TenantSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'

const platform = PlatformSpec.parse({ baseDomain: 'apps.acme.test', clusterIssuer: 'letsencrypt-prod', secretStore: 'vault', ingressClass: 'nginx' })
const web = ServiceSpec.parse({
  image: { repository: 'ghcr.io/acme/api', tag: '1.4.2' },
  port: 9000,
  healthCheckPath: '/ready',
  autoscaling: { minReplicas: 2, maxReplicas: 5, cpuThreshold: 70 },
  env: { LOG_LEVEL: 'info', APP_MODE: 'prod' },
  secretEnv: ['STRIPE_KEY', 'DB_PASSWORD'],
  domains: [{ name: 'pay.acme.com' }],
  configRevision: 3,
})
const worker = ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/jobs', tag: '2.0.0' }, componentType: 'worker', replicas: 3 })
const docs = (text: string) => parseAllDocuments(text).map(d => d.toJS())
const dir = 'tenants/billing/services/api/manifests'

describe('service manifests', () => {
  it('are deterministic', () => {
    expect(renderServiceManifests('billing', 'api', web, platform)).toEqual(renderServiceManifests('billing', 'api', web, platform))
  })

  it.each([
    ['a web component with autoscaling and secrets', web, ['certificates', 'deployment', 'externalsecret', 'hpa', 'ingress', 'service']],
    ['a worker with fixed replicas', worker, ['deployment', 'service']],
  ])('render the objects %s needs', (_, spec, files) => {
    expect(Object.keys(renderServiceManifests('billing', 'api', spec, platform)).sort()).toEqual(files.map(f => `${dir}/${f}.yaml`))
  })

  it('render a Deployment with probes, env and secret refs, and no replica count under an HPA', () => {
    const [d] = docs(renderServiceManifests('billing', 'api', web, platform)[`${dir}/deployment.yaml`]!)
    expect(d.metadata).toMatchObject({ name: 'api', namespace: 'billing', labels: { 'mctl.dev/tenant': 'billing', 'mctl.dev/service': 'api' } })
    expect(d.spec.replicas).toBeUndefined()
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'mctl.dev/tenant': 'billing' })
    expect(d.spec.template.metadata.annotations).toEqual({ 'mctl.dev/config-revision': '3' })
    const c = d.spec.template.spec.containers[0]
    expect(c.image).toBe('ghcr.io/acme/api:1.4.2')
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }])
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' })
    expect(c.livenessProbe.httpGet).toEqual({ path: '/ready', port: 'http' })
    expect(c.env).toEqual([
      { name: 'APP_MODE', value: 'prod' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'DB_PASSWORD' } } },
      { name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'STRIPE_KEY' } } },
    ])
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } })
  })

  it('render fixed replicas and no probes for a worker', () => {
    const [d] = docs(renderServiceManifests('billing', 'jobs', worker, platform)['tenants/billing/services/jobs/manifests/deployment.yaml']!)
    expect(d.spec.replicas).toBe(3)
    expect(d.spec.template.spec.containers[0].readinessProbe).toBeUndefined()
  })

  it('render the Ingress on the default host and custom domains, with one certificate per host', () => {
    const files = renderServiceManifests('billing', 'api', web, platform)
    const [ingress] = docs(files[`${dir}/ingress.yaml`]!)
    expect(ingress.spec.ingressClassName).toBe('nginx')
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual(['billing-api.apps.acme.test', 'pay.acme.com'])
    expect(ingress.spec.tls).toEqual([
      { hosts: ['billing-api.apps.acme.test'], secretName: 'api-tls' },
      { hosts: ['pay.acme.com'], secretName: 'api-pay-acme-com-tls' },
    ])
    const certs = docs(files[`${dir}/certificates.yaml`]!)
    expect(certs.map(c => [c.metadata.name, c.spec.dnsNames, c.spec.secretName, c.spec.issuerRef])).toEqual([
      ['api-tls', ['billing-api.apps.acme.test'], 'api-tls', { kind: 'ClusterIssuer', name: 'letsencrypt-prod' }],
      ['api-pay-acme-com-tls', ['pay.acme.com'], 'api-pay-acme-com-tls', { kind: 'ClusterIssuer', name: 'letsencrypt-prod' }],
    ])
  })

  it('render the HPA and an ExternalSecret that names the variables, never values', () => {
    const files = renderServiceManifests('billing', 'api', web, platform)
    const [hpa] = docs(files[`${dir}/hpa.yaml`]!)
    expect(hpa.apiVersion).toBe('autoscaling/v2')
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'api' } })
    expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 70 })
    const [es] = docs(files[`${dir}/externalsecret.yaml`]!)
    expect(es.apiVersion).toBe('external-secrets.io/v1beta1')
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' })
    expect(es.spec.target).toEqual({ name: 'api-secrets', creationPolicy: 'Owner' })
    expect(es.spec.data).toEqual([
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'mctl/billing/api', property: 'DB_PASSWORD' } },
      { secretKey: 'STRIPE_KEY', remoteRef: { key: 'mctl/billing/api', property: 'STRIPE_KEY' } },
    ])
  })

  it('pass the policy check, and replace the whole manifests folder', () => {
    const tenant = TenantSpec.parse({ displayName: 'Billing', quotas: { cpu: '4', memory: '8Gi', pods: 20 } })
    const index = { platform, tenant: () => tenant, service: () => undefined, previews: new Map(), allServices: () => [], allPreviews: () => [] } as unknown as RepoIndex
    const changes = serviceChanges('billing', 'api', web, platform)
    expect(changes.get(dir)).toBeNull()
    expect(changes.get('tenants/billing/services/api/service.yaml')).toContain('tag: 1.4.2')
    expect(() => checkPolicy(changes, index)).not.toThrow()
  })
})
