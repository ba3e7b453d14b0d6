import { describe, expect, it } from 'vitest'
import { applyScaling, describeScaling, resolveScaling, type ScalingInput } from '../../server/domain/services/scaling'
import { ServiceSpec } from '../../server/gitops/specs'

const fixed = ServiceSpec.parse({ image: { repository: 'r', tag: 't' }, replicas: 2 })
const hpa = ServiceSpec.parse({ image: { repository: 'r', tag: 't' }, autoscaling: { minReplicas: 2, maxReplicas: 6, cpuThreshold: 60 } })

describe('scaling input', () => {
  it.each<[string, ScalingInput, ServiceSpec, unknown]>([
    ['nothing asked', {}, fixed, undefined],
    ['a fixed count', { replicas: 4 }, hpa, { replicas: 4 }],
    ['zero replicas (pause)', { replicas: 0 }, fixed, { replicas: 0 }],
    ['autoscaling with defaults', { autoscaling_enabled: true }, fixed, { autoscaling: { minReplicas: 1, maxReplicas: 3, cpuThreshold: 80 } }],
    ['a new maximum, the rest kept', { max_replicas: 8 }, hpa, { autoscaling: { minReplicas: 2, maxReplicas: 8, cpuThreshold: 60 } }],
    ['autoscaling off keeps the minimum as the count', { autoscaling_enabled: false }, hpa, { replicas: 2 }],
  ])('resolves %s', (_, input, current, expected) => {
    expect(resolveScaling(input, current, 10)).toEqual(expected)
  })

  it.each<[string, ScalingInput, RegExp]>([
    ['min over max', { autoscaling_enabled: true, min_replicas: 5, max_replicas: 3 }, /min_replicas: must not be more than max_replicas \(5 > 3\)/],
    ['max over the pod quota', { max_replicas: 11 }, /max_replicas: 11 is more than the tenant pod quota \(10\)/],
    ['replicas over the pod quota', { replicas: 12 }, /replicas: 12 is more than the tenant pod quota \(10\)/],
    ['replicas with autoscaling', { replicas: 2, autoscaling_enabled: true }, /replicas: give either replicas/],
    ['HPA fields with autoscaling off', { autoscaling_enabled: false, max_replicas: 4 }, /max_replicas: only applies with autoscaling_enabled: true/],
  ])('refuses %s, naming the field', (_, input, message) => {
    expect(() => resolveScaling(input, fixed, 10)).toThrow(message)
  })

  it('sets exactly one of replicas and autoscaling', () => {
    expect(applyScaling(hpa, { replicas: 3 })).toMatchObject({ replicas: 3 })
    expect(applyScaling(hpa, { replicas: 3 }).autoscaling).toBeUndefined()
    expect(applyScaling(fixed, { autoscaling: { minReplicas: 1, maxReplicas: 2, cpuThreshold: 50 } }).replicas).toBeUndefined()
    expect(describeScaling({ replicas: 1 })).toBe('1 replica')
    expect(describeScaling({ autoscaling: { minReplicas: 2, maxReplicas: 5, cpuThreshold: 70 } })).toBe('autoscaling 2–5 at 70% CPU')
  })
})
