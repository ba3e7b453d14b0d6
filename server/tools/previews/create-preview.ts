import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { checkPolicy } from '../../gitops/policy'
import { previewApplication, previewHost, previewName } from '../../gitops/render/preview'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { componentName, imageTag, teamName } from '../services/inputs'
import { requireService } from '../../domain/services/view'
import { submitOperation } from '../submit'
import { type PreviewParams, previewChangesFor, previewDeployOperation } from '../../domain/previews/preview'

const HOUR = 3600_000

export default defineTool({
  name: 'mctl_create_preview',
  title: 'Create a preview environment',
  description: 'Run a service at another image tag beside it, on <service>-<id>.<team>.preview.<baseDomain>, with its env and secrets but not its database; deleted after ttl_hours, counted in the tenant quota.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    image_tag: imageTag('Tag of the service\'s image, e.g. "pr-42"'),
    ttl_hours: z.number().int('must be a whole number of hours from 1 to 168').min(1, 'must be from 1 to 168 hours').max(168, 'must be from 1 to 168 hours').default(24)
      .describe('Hours until the preview is deleted'),
    wait_seconds: waitSeconds,
  }),
  output: OperationResult.extend({
    preview: z.object({ id: z.string(), name: z.string(), host: z.string().nullable(), expiresAt: z.string(), application: z.string() }),
  }),
  annotations: WRITE,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/services/{team_name}/{component_name}/previews' },
  operation: previewDeployOperation,
  async handler(ctx, { team_name, component_name, image_tag, ttl_hours, wait_seconds }) {
    const { index } = ctx.services
    const spec = requireService(index, team_name, component_name)
    // Letters and digits only: the id ends a DNS label (<service>-<id>) and starts with a letter to read well.
    const id = `p${randomBytes(4).toString('hex').slice(0, 5)}`
    const params: PreviewParams = {
      team_name, component_name, image_tag, preview_id: id,
      expires_at: new Date(Date.now() + ttl_hours * HOUR).toISOString(),
      created_by: ctx.identity.userId,
    }
    checkPolicy(previewChangesFor(params, index), index) // the quota, with every other service and preview
    const result = await submitOperation(ctx, { operation: 'preview-deploy', params: { ...params }, tenant: team_name, service: component_name, waitSeconds: wait_seconds })
    return {
      ...result,
      preview: {
        id,
        name: previewName(component_name, id),
        host: spec.componentType === 'web' ? previewHost(team_name, component_name, id, index.platform.baseDomain) : null,
        expiresAt: params.expires_at,
        application: previewApplication(team_name, component_name, id),
      },
    }
  },
})
