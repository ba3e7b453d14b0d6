import { describe, expect, it } from 'vitest'
import { checkPolicy } from '../../server/gitops/policy'
import { renderTenantManifests } from '../../server/gitops/render/tenant'
import { PlatformSpec, TenantSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'
import { toYaml } from '../../server/gitops/yaml'

const platform = PlatformSpec.parse({ allowedRegistries: ['ghcr.io/acme'] })
const index = { platform } as RepoIndex
const spec = TenantSpec.parse({ displayName: 'B', quotas: { cpu: '1', memory: '1Gi', pods: 5 } })

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
