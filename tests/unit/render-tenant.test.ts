import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { renderTenantManifests } from '../../server/gitops/render/tenant'
import { PlatformSpec, TenantSpec } from '../../server/gitops/specs'

const platform = PlatformSpec.parse({})
const tenant = (egress: boolean) => TenantSpec.parse({
  displayName: 'Billing',
  members: [{ userId: 'olga', role: 'owner' }],
  groups: ['acme/payments'],
  quotas: { cpu: '4', memory: '8Gi', pods: 30 },
  networking: { allowInternetEgress: egress },
})
const docs = (text: string) => parseAllDocuments(text).map(d => d.toJS())

describe('tenant manifests', () => {
  it('are deterministic', () => {
    expect(renderTenantManifests('billing', tenant(false), platform)).toEqual(renderTenantManifests('billing', tenant(false), platform))
  })

  it('render one file per concern, all in the tenant namespace', () => {
    const files = renderTenantManifests('billing', tenant(false), platform)
    expect(Object.keys(files).sort()).toEqual(['appproject', 'limitrange', 'namespace', 'networkpolicies', 'rbac', 'resourcequota']
      .map(f => `tenants/billing/manifests/${f}.yaml`))
    const quota = docs(files['tenants/billing/manifests/resourcequota.yaml']!)[0]
    expect(quota.spec.hard).toMatchObject({ 'requests.cpu': '4', 'requests.memory': '8Gi', 'pods': '30' })
    const rbac = docs(files['tenants/billing/manifests/rbac.yaml']!)[0]
    expect(rbac.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'olga' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'acme/payments' },
    ])
    for (const [path, text] of Object.entries(files)) {
      for (const obj of docs(text)) {
        if (obj.kind === 'Namespace') expect(obj.metadata.name).toBe('billing')
        else if (obj.kind === 'AppProject') expect(obj.metadata.namespace).toBe('argocd')
        else expect(obj.metadata.namespace, path).toBe('billing')
        expect(obj.metadata.labels['mctl.dev/tenant']).toBe('billing')
      }
    }
  })

  it('denies internet egress unless allowed', () => {
    const names = (egress: boolean) => docs(renderTenantManifests('billing', tenant(egress), platform)['tenants/billing/manifests/networkpolicies.yaml']!).map(p => p.metadata.name)
    expect(names(false)).toContain('default-deny')
    expect(names(false)).not.toContain('allow-internet-egress')
    expect(names(true)).toContain('allow-internet-egress')
  })
})
