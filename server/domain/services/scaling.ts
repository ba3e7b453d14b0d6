import type { ServiceSpec } from '../../gitops/specs'
import { invalidField } from '../../utils/errors'

export type Autoscaling = NonNullable<ServiceSpec['autoscaling']>
/** A fully resolved replica setting: what the commit writes, whatever the caller left out. */
export type Scaling = { replicas: number } | { autoscaling: Autoscaling }

export interface ScalingInput {
  replicas?: number
  autoscaling_enabled?: boolean
  min_replicas?: number
  max_replicas?: number
  cpu_threshold?: number
}

const HPA_FIELDS = ['min_replicas', 'max_replicas', 'cpu_threshold'] as const

/**
 * The scaling the input asks for, completed from the current spec, or undefined when the
 * input does not touch scaling. TOOLS.md: min ≤ max ≤ the tenant pod quota, checked here
 * with the field named (the policy check then adds the other services of the tenant).
 */
export function resolveScaling(input: ScalingInput, current: ServiceSpec | undefined, quotaPods: number): Scaling | undefined {
  const hpaFields = HPA_FIELDS.filter(f => input[f] !== undefined)
  if (input.replicas !== undefined && (input.autoscaling_enabled === true || hpaFields.length))
    throw invalidField('replicas', 'give either replicas (a fixed count) or autoscaling_enabled with min_replicas/max_replicas, not both')
  const autoscale = input.autoscaling_enabled ?? (hpaFields.length ? true : input.replicas !== undefined ? false : undefined)
  if (autoscale === undefined) return undefined

  if (!autoscale) {
    if (hpaFields.length) throw invalidField(hpaFields[0]!, 'only applies with autoscaling_enabled: true')
    const replicas = input.replicas ?? current?.replicas ?? current?.autoscaling?.minReplicas ?? 1
    if (replicas > quotaPods) throw invalidField('replicas', `${replicas} is more than the tenant pod quota (${quotaPods})`)
    return { replicas }
  }
  const now = current?.autoscaling
  const minReplicas = input.min_replicas ?? now?.minReplicas ?? 1
  const maxReplicas = input.max_replicas ?? now?.maxReplicas ?? Math.max(minReplicas, Math.min(3, quotaPods))
  const cpuThreshold = input.cpu_threshold ?? now?.cpuThreshold ?? 80
  if (minReplicas > maxReplicas) throw invalidField('min_replicas', `must not be more than max_replicas (${minReplicas} > ${maxReplicas})`)
  if (maxReplicas > quotaPods) throw invalidField('max_replicas', `${maxReplicas} is more than the tenant pod quota (${quotaPods})`)
  return { autoscaling: { minReplicas, maxReplicas, cpuThreshold } }
}

/** The spec with exactly one of `replicas` / `autoscaling` set, as `scaling` says. */
export function applyScaling(spec: ServiceSpec, scaling: Scaling): ServiceSpec {
  const { replicas: _r, autoscaling: _a, ...rest } = spec
  return 'autoscaling' in scaling ? { ...rest, autoscaling: scaling.autoscaling } : { ...rest, replicas: scaling.replicas }
}

export function describeScaling(s: Scaling): string {
  return 'autoscaling' in s
    ? `autoscaling ${s.autoscaling.minReplicas}–${s.autoscaling.maxReplicas} at ${s.autoscaling.cpuThreshold}% CPU`
    : `${s.replicas} replica${s.replicas === 1 ? '' : 's'}`
}
