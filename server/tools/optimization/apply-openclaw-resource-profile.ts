import { z } from 'zod'
import { checkPolicy } from '../../gitops/policy'
import { serviceChanges } from '../../gitops/render/service'
import type { RepoIndex } from '../../gitops/state'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { requireService } from '../../domain/services/view'
import { submitOperation } from '../submit'
import { componentName, teamName } from './inputs'
import { heapFlag, PROFILE_NAMES, PROFILES, type ProfileName, withProfile } from '../../domain/optimization/profiles'

interface Params { team_name: string, component_name: string, profile: ProfileName }

const build = (p: Params, index: RepoIndex) =>
  serviceChanges(p.team_name, p.component_name, withProfile(requireService(index, p.team_name, p.component_name), p.profile), index.platform)

const applyProfileOperation = defineOperation<Params>({
  name: 'apply-resource-profile',
  description: 'Apply a resource profile to a service: requests, limits and the Node heap (NODE_OPTIONS) in one commit',
  riskLevel: 'medium',
  steps: [commitStep<Params>({ title: p => ({ verb: 'profile', subject: `${p.team_name}/${p.component_name}`, detail: `→ ${p.profile}` }), build }), syncStep],
  summary(p) {
    const s = PROFILES[p.profile]
    return `Profile ${p.profile} applied to "${p.team_name}/${p.component_name}": requests ${s.requests.cpu}/${s.requests.memory}, limits ${s.limits.cpu}/${s.limits.memory}, NODE_OPTIONS ${heapFlag(s.nodeHeapMiB)}`
  },
})

export default defineTool({
  name: 'mctl_apply_openclaw_resource_profile',
  title: 'Apply a resource profile',
  description: 'Commit a resource profile to OpenClaw or any Node service (requests; limits; heap): startup 500m/1Gi; 2/4Gi; 3072Mi, steady-medium 350m/1Gi; 1500m/3Gi; 2048Mi, steady-small 250m/768Mi; 1/2560Mi; 1792Mi. mctl_get_openclaw_sizing_recommendation says which fits.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    profile: z.enum(PROFILE_NAMES).describe('startup, steady-medium or steady-small'),
    wait_seconds: waitSeconds,
  }),
  output: OperationResult,
  annotations: WRITE_IDEMPOTENT,
  access: 'owner',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/services/{team_name}/{component_name}/profile' },
  operation: applyProfileOperation,
  async handler(ctx, { wait_seconds, ...params }) {
    checkPolicy(build(params, ctx.services.index), ctx.services.index)
    return submitOperation(ctx, { operation: 'apply-resource-profile', params: { ...params }, tenant: params.team_name, service: params.component_name, waitSeconds: wait_seconds })
  },
})
