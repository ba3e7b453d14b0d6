import { z } from 'zod'
import { syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { consumeConfirmation, issueConfirmation } from '../confirm'
import { defineTool, DESTRUCTIVE } from '../define'
import { confirmInput, DestructiveResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { componentName, teamName } from './inputs'
import { removeDatabasePassword, removeSecrets, retireCommit, retirePlan, unregisterDomains } from '../../domain/services/retire'
import { requireService } from '../../domain/services/view'

const input = z.object({
  team_name: teamName,
  component_name: componentName,
  delete_secrets: z.boolean().default(true).describe('Also delete its secret values from the secret store'),
  confirm: confirmInput,
  wait_seconds: waitSeconds,
})
interface Params { team_name: string, component_name: string, delete_secrets: boolean }

export const retireOperation = defineOperation<Params>({
  name: 'retire-service',
  description: 'Retire a service: remove its folder (spec and manifests), previews, custom domains and database (role dropped) in one commit, then its secret-store entries and domain registrations',
  riskLevel: 'high',
  steps: [
    {
      name: 'commit',
      async run(ctx) {
        const result = await retireCommit(ctx, ctx.params.team_name, ctx.params.component_name)
        return result.changed
          ? { message: `Committed ${result.sha.slice(0, 12)}`, commit: result.sha, output: { commit: result.sha } }
          : { message: 'Nothing to remove: the service is already gone from the repository' }
      },
    },
    {
      name: 'delete-secrets',
      async run({ params: p, services }) {
        // The database password goes either way: its role was dropped by the commit.
        await removeDatabasePassword(services.secrets, p.team_name, p.component_name)
        if (!p.delete_secrets) return { message: 'Secret values kept in the store (delete_secrets: false); database password removed' }
        await removeSecrets(services.secrets, p.team_name, p.component_name)
        return { message: 'Secret values and database password removed from the store' }
      },
    },
    {
      name: 'unregister-domains',
      async run({ params: p, services }) {
        const removed = unregisterDomains(services.db, p.team_name, p.component_name)
        return { message: removed.length ? `Domain registrations deleted: ${removed.join(', ')}` : 'No domain registrations' }
      },
    },
    syncStep,
  ],
  summary: p => `Service "${p.team_name}/${p.component_name}" retired`,
})

export default defineTool({
  name: 'mctl_retire_service',
  title: 'Retire a service',
  description: 'Remove a service for good: spec, manifests, previews, custom domains, database and stored secrets. Two calls: the first returns the plan and a confirm token; call again with confirm to run it.',
  input,
  output: DestructiveResult,
  annotations: DESTRUCTIVE,
  access: 'owner',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'DELETE', path: '/api/v1/services/{team_name}/{component_name}' },
  operation: retireOperation,
  async handler(ctx, { confirm, wait_seconds, ...args }) {
    const { team_name, component_name } = args
    requireService(ctx.services.index, team_name, component_name)
    if (!confirm) {
      const plan = await retirePlan(ctx.services, team_name, component_name, args.delete_secrets)
      return {
        status: 'confirmation_required' as const,
        message: `Retiring "${team_name}/${component_name}" removes ${plan.files.length} file(s), ${plan.previews.length} preview(s), ${plan.hosts.length} host(s)${plan.database ? `, the database ${plan.database.name} with its data` : ''}${plan.secrets ? `, and ${plan.secrets.names.length} secret value(s)` : ''}. Call again with "confirm" to proceed.`,
        plan,
        ...issueConfirmation(ctx, args),
      }
    }
    consumeConfirmation(ctx, args, confirm)
    return submitOperation(ctx, { operation: 'retire-service', params: args, tenant: team_name, service: component_name, waitSeconds: wait_seconds })
  },
})
