import { describe, expect, it } from 'vitest'
import { checkPolicy } from '../../server/gitops/policy'
import { renderTenantManifests } from '../../server/gitops/render/tenant'
import { PlatformSpec, TenantSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'
import { toYaml } from '../../server/gitops/yaml'

const platform = PlatformSpec.parse({ allowedRegistries: ['ghcr.io/acme'], quotaLimits: { cpu: '4', memory: '8Gi', pods: 50 } })
const spec = TenantSpec.parse({ displayName: 'B', quotas: { cpu: '1', memory: '1Gi', pods: 5 } })
/** As committed: "greedy" had its quotas raised past the limits by hand. */
const tenants: Record<string, TenantSpec> = { billing: spec, greedy: { ...spec, quotas: { cpu: '4500m', memory: '8Gi', pods: 51 } } }
const index = { platform, tenant: (name: string) => tenants[name], service: () => undefined, previews: new Map() } as unknown as RepoIndex

const deployment = (namespace: string, image = 'ghcr.io/acme/api:1.0') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image }] } },
  },
})
const check = (path: string, obj: unknown) => () => checkPolicy(new Map([[path, toYaml(obj)]]), index)
const svc = 'tenants/billing/services/api/manifests/deployment.yaml'

describe('policy before commit', () => {
  it('accepts what the renderers produce', () => {
    expect(() => checkPolicy(new Map(Object.entries(renderTenantManifests('billing', spec, platform))), index)).not.toThrow()
    expect(check(svc, deployment('billing'))).not.toThrow()
  })

  it.each([
    ['another namespace', deployment('payments'), /tenant's namespace "billing"/],
    ['no namespace', deployment(undefined as unknown as string), /tenant's namespace "billing"/],
    ['a cluster-scoped kind', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'billing' } }, /own namespace/],
    ['a Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'billing' }, data: { a: 'Yg==' } }, /Secret objects must not be committed/],
    ['an image from elsewhere', deployment('billing', 'docker.io/evil/miner:1'), /not from an allowed registry/],
    ['an unknown kind', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } }, /not one MCTL manages/],
    ['a schema violation', { ...deployment('billing'), spec: { replicas: 'many' } }, /replicas must be integer|must have required property/],
  ])('refuses %s', (_, obj, message) => {
    expect(check(svc, obj)).toThrow(message)
  })
})

describe('the tenant rules of every write', () => {
  it('refuses a write into a tenant folder whose name a tenant may not have', () => {
    expect(check('tenants/kube-system/services/api/manifests/deployment.yaml', deployment('kube-system')))
      .toThrow('tenants/kube-system: tenant "kube-system" cannot exist: names starting with "kube-" are reserved')
  })

  it('refuses any write to a tenant whose quotas exceed the platform limits, naming each quota and its limit', () => {
    const err = (() => { try { check('tenants/greedy/services/api/manifests/deployment.yaml', deployment('greedy'))() } catch (e) { return e as Error } })()
    expect(err?.message).toBe('Policy check failed: tenant "greedy": quotas.cpu 4500m is above the platform limit 4 (mctl.yaml quotaLimits.cpu); tenant "greedy": quotas.pods 51 is above the platform limit 50 (mctl.yaml quotaLimits.pods)')
  })

  it('checks the tenant.yaml of the commit itself, and lets a removal through', () => {
    const raised = toYaml({ ...spec, quotas: { cpu: '1', memory: '9Gi', pods: 5 } })
    expect(() => checkPolicy(new Map([['tenants/billing/tenant.yaml', raised]]), index))
      .toThrow('tenant "billing": quotas.memory 9Gi is above the platform limit 8Gi (mctl.yaml quotaLimits.memory)')
    expect(() => checkPolicy(new Map([['tenants/greedy', null], ['tenants/kube-system', null]]), index)).not.toThrow()
  })
})
