import { z } from 'zod'
import { deployHistory, type Deploy } from '../../gitops/history'
import { checkPolicy } from '../../gitops/policy'
import { serviceChanges } from '../../gitops/render/service'
import type { ServiceSpec } from '../../gitops/specs'
import type { RepoIndex } from '../../gitops/state'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { conflict, invalidField } from '../../utils/errors'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { componentName, imageTag, teamName } from './inputs'
import { requireService } from '../../domain/services/view'

const input = z.object({
  team_name: teamName,
  component_name: componentName,
  target_tag: imageTag('Default: the tag deployed before the current one').optional(),
  force: z.boolean().default(false).describe('Allow a target_tag never deployed to this service'),
  wait_seconds: waitSeconds,
})
interface Params { team_name: string, component_name: string, image: ServiceSpec['image'], from_tag: string }

function rollbackChanges(p: Params, index: RepoIndex) {
  const spec = requireService(index, p.team_name, p.component_name)
  return serviceChanges(p.team_name, p.component_name, { ...spec, image: p.image }, index.platform)
}

/** The image to return to: the previous deploy, or the newest deploy of `tag` (any tag with `force`). */
function target(history: Deploy[], current: ServiceSpec, tag: string | undefined, force: boolean): ServiceSpec['image'] {
  const running = `${current.image.repository}:${current.image.tag}`
  if (!tag) {
    const previous = history.find(d => d.image !== running)
    if (!previous) throw conflict('There is no earlier deploy to roll back to: the git history of this service has one image only')
    return { repository: previous.repository, tag: previous.tag }
  }
  const deployed = history.find(d => d.tag === tag)
  if (deployed) return { repository: deployed.repository, tag }
  if (!force) {
    const known = [...new Set(history.map(d => d.tag))].slice(0, 10).join(', ')
    throw invalidField('target_tag', `"${tag}" was never deployed to this service (deployed: ${known}); pass force: true to roll it out anyway`)
  }
  return { repository: current.image.repository, tag }
}

export const rollbackOperation = defineOperation<Params>({
  name: 'rollback-service',
  description: 'Return a service to an earlier image tag from its deploy history (git log of service.yaml)',
  riskLevel: 'medium',
  steps: [
    commitStep<Params>({
      title: p => ({ verb: 'rollback', subject: `${p.team_name}/${p.component_name}`, detail: `→ ${p.image.tag} (from ${p.from_tag})` }),
      build: rollbackChanges,
    }),
    syncStep,
  ],
  summary: p => `Service "${p.team_name}/${p.component_name}" rolled back to ${p.image.tag} (from ${p.from_tag})`,
})

export default defineTool({
  name: 'mctl_rollback_service',
  title: 'Roll back a service',
  description: 'Roll a service back to an earlier image tag, by default the one deployed before the current one; a tag never deployed needs force.',
  input,
  output: OperationResult,
  annotations: WRITE,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/services/{team_name}/{component_name}/rollback' },
  operation: rollbackOperation,
  async handler(ctx, { wait_seconds, team_name, component_name, target_tag, force }) {
    const { index, repo } = ctx.services
    const current = requireService(index, team_name, component_name)
    const image = target(await deployHistory(repo, team_name, component_name, Infinity), current, target_tag, force)
    if (image.repository === current.image.repository && image.tag === current.image.tag)
      throw conflict(`Service "${team_name}/${component_name}" already runs ${image.tag}`)
    const params: Params = { team_name, component_name, image, from_tag: current.image.tag }
    checkPolicy(rollbackChanges(params, index), index)
    return submitOperation(ctx, { operation: 'rollback-service', params: { ...params }, tenant: team_name, service: component_name, waitSeconds: wait_seconds })
  },
})
