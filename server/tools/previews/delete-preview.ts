import { z } from 'zod'
import { previewApplication } from '../../gitops/render/preview'
import { previewDir } from '../../gitops/state'
import { consumeConfirmation, issueConfirmation } from '../confirm'
import { defineTool, DESTRUCTIVE } from '../define'
import { confirmInput, DestructiveResult, waitSeconds } from '../schemas'
import { componentName, teamName } from '../services/inputs'
import { submitOperation } from '../submit'
import { deletionOf, previewDeleteOperation, previewView, requirePreview } from '../../domain/previews/preview'
import { previewId } from './schemas'

export default defineTool({
  name: 'mctl_delete_preview',
  title: 'Delete a preview environment',
  description: 'Delete a preview before it expires. Two calls: the first returns the plan and a confirm token; call again with confirm to run it.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    preview_id: previewId,
    confirm: confirmInput,
    wait_seconds: waitSeconds,
  }),
  output: DestructiveResult,
  annotations: DESTRUCTIVE,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'DELETE', path: '/api/v1/services/{team_name}/{component_name}/previews/{preview_id}' },
  operation: previewDeleteOperation,
  async handler(ctx, { confirm, wait_seconds, ...args }) {
    const { index, repo } = ctx.services
    const { team_name: team, component_name: service, preview_id: id } = args
    const entry = requirePreview(index, team, service, id)
    if (!confirm) {
      const folder = previewDir(team, entry.name)
      const view = previewView(entry, index, Date.now())
      return {
        status: 'confirmation_required' as const,
        message: `Deleting preview "${entry.name}" removes ${folder} (its manifests and host${view.host ? ` ${view.host}` : ''}). Call again with "confirm" to proceed.`,
        plan: { preview: entry.name, folder, files: index.sha ? await repo.listFiles(index.sha, folder) : [], host: view.host, application: previewApplication(team, service, id), expiresAt: view.expiresAt },
        ...issueConfirmation(ctx, args),
      }
    }
    consumeConfirmation(ctx, args, confirm)
    return submitOperation(ctx, { operation: 'preview-delete', params: args, tenant: team, service, waitSeconds: wait_seconds, unless: deletionOf(team, service, id) })
  },
})
