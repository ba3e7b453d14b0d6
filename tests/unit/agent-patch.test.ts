import { describe, expect, it } from 'vitest'
import { applyPatch, describeChange, resolvePatch, ServicePatch } from '../../server/agent/patch'
import { ServiceSpec } from '../../server/gitops/specs'

const spec = ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/api', tag: '1.1.0' }, replicas: 2 })

describe('service patches', () => {
  it.each([
    [{ resources: { limits: { memory: '*2' } } }, { resources: { limits: { memory: '1Gi' } } }],
    [{ resources: { requests: { memory: '*1.5', cpu: '*3' } } }, { resources: { requests: { memory: '192Mi', cpu: '300m' } } }],
    [{ replicas: '+2' }, { replicas: 4 }],
    [{ autoscaling: { maxReplicas: '+3' } }, { autoscaling: { maxReplicas: 5 } }],
    [{ image: { tag: '1.0.0' }, restart: true }, { image: { tag: '1.0.0' }, restart: true }],
  ])('resolve %j against the spec', (patch, resolved) => {
    expect(resolvePatch(ServicePatch.parse(patch), spec)).toEqual(resolved)
  })

  it('applies a resolved patch and says what changed', () => {
    const next = applyPatch(spec, { resources: { limits: { memory: '1Gi' }, requests: { memory: '256Mi' } }, restart: true })
    expect(next.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } })
    expect(next.replicas).toBe(2)
    expect(describeChange(spec, next)).toEqual(['memory limit 512Mi → 1Gi', 'memory request 128Mi → 256Mi', 'restart (config revision 0 → 1)'])
    const hpa = applyPatch(spec, { autoscaling: { maxReplicas: 6 } })
    expect([hpa.replicas, hpa.autoscaling]).toEqual([undefined, { minReplicas: 1, maxReplicas: 6, cpuThreshold: 80 }])
    expect(describeChange(spec, hpa)).toEqual(['replicas 2 → none', 'autoscaling none → 1–6 at 80% CPU'])
  })

  it('refuses a request above its limit', () => {
    expect(() => applyPatch(spec, { resources: { requests: { memory: '1Gi' } } })).toThrow('the memory request 1Gi would be above the limit 512Mi')
  })

  it.each([
    [{}, /must change at least one field/],
    [{ resources: { limits: { memory: 'lots' } } }, /resources\.limits\.memory.*must be a memory quantity/],
    [{ replicas: '2x' }, /replicas/],
    [{ env: { A: 'b' } }, /Unrecognized key/],
    [{ healthCheckPath: 'healthz' }, /healthCheckPath.*must be a path/],
  ])('rejects %j naming the field', (patch, message) => {
    const result = ServicePatch.safeParse(patch)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message)
  })
})
