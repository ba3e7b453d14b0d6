import { z } from 'zod'
import { checkPolicy } from '../../gitops/policy'
import { serviceChanges } from '../../gitops/render/service'
import type { RepoIndex } from '../../gitops/state'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { invalidField } from '../../utils/errors'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { componentName, replicasInput, scalingInput, teamName } from './inputs'
import { applyScaling, describeScaling, resolveScaling, type Scaling } from '../../domain/services/scaling'
import { requireService } from '../../domain/services/view'

const input = z.object({
  team_name: teamName,
  component_name: componentName,
  replicas: replicasInput.optional().describe('Fixed pod count (0 pauses the service), at most the tenant pod quota'),
  ...scalingInput,
  wait_seconds: waitSeconds,
})
interface Params { team_name: string, component_name: string, scaling: Scaling }

function scaleChanges(p: Params, index: RepoIndex) {
  const spec = requireService(index, p.team_name, p.component_name)
  return serviceChanges(p.team_name, p.component_name, applyScaling(spec, p.scaling), index.platform)
}

export const scaleOperation = defineOperation<Params>({
  name: 'scale-service',
  description: 'Set a fixed replica count or an autoscaling range (HPA) of a service, checked against the tenant quota',
  riskLevel: 'low',
  steps: [
    commitStep<Params>({
      title: p => ({ verb: 'scale', subject: `${p.team_name}/${p.component_name}`, detail: `→ ${describeScaling(p.scaling)}` }),
      build: scaleChanges,
    }),
    syncStep,
  ],
  summary: p => `Service "${p.team_name}/${p.component_name}" scaled to ${describeScaling(p.scaling)}`,
})

export default defineTool({
  name: 'mctl_scale_service',
  title: 'Scale a service',
  description: 'Scale a service: a fixed replicas count, or CPU autoscaling (autoscaling_enabled, min_replicas, max_replicas, cpu_threshold); the tenant\'s services must fit its quota at full scale.',
  input,
  output: OperationResult,
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/services/{team_name}/{component_name}/scale' },
  operation: scaleOperation,
  async handler(ctx, { wait_seconds, team_name, component_name, ...asked }) {
    const { index } = ctx.services
    const current = requireService(index, team_name, component_name)
    const scaling = resolveScaling(asked, current, index.tenant(team_name)!.quotas.pods)
    if (!scaling) throw invalidField('replicas', 'give replicas (a fixed count), or autoscaling_enabled with min_replicas and max_replicas')
    const params: Params = { team_name, component_name, scaling }
    checkPolicy(scaleChanges(params, index), index)
    return submitOperation(ctx, { operation: 'scale-service', params: { ...params }, tenant: team_name, service: component_name, waitSeconds: wait_seconds })
  },
})
