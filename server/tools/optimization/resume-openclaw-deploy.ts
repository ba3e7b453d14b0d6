import { z } from 'zod'
import { conflict, notFound } from '../../utils/errors'
import { checkProvisionable, ensureDatabasePassword, provisionInFlight } from '../../domain/databases/provision'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { enqueue, operationResult, waitFor } from '../submit'
import { botTokenSaved, latestIntake, openIntake } from '../../domain/optimization/intake'
import { componentName, teamName } from './inputs'
import { checkRoomFor, openclawDeploy } from '../../domain/optimization/openclaw'

export default defineTool({
  name: 'mctl_resume_openclaw_deploy',
  title: 'Deploy OpenClaw (finish)',
  description: 'Finish an OpenClaw deployment after the owner saved the bot token via mctl_deploy_openclaw\'s link: provisions its database, then onboards it. No token yet: 409 with a fresh link.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    wait_seconds: waitSeconds,
  }),
  output: OperationResult.extend({
    operations: z.array(z.object({ operation: z.string(), operation_id: z.string(), workflow_name: z.string(), status: z.string() }))
      .describe('Both operations in order: provision-database (when the database is new), then deploy-service'),
  }),
  annotations: WRITE,
  access: 'owner',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/openclaw/{team_name}/{component_name}/resume' },
  async handler(ctx, { team_name: tenant, component_name: service, wait_seconds }) {
    const { index, db, secrets, settings } = ctx.services
    const intake = latestIntake(db, tenant, service)
    if (!intake) throw notFound(`No OpenClaw deployment was started for "${tenant}/${service}": call mctl_deploy_openclaw first`)
    if (index.service(tenant, service)) throw conflict(`Service "${tenant}/${service}" already exists: OpenClaw is deployed`)
    if (!await botTokenSaved(secrets, tenant, service)) {
      // Only a hash of the first link was kept: hand out a new one (the old one stops working).
      // The link goes in the details, not the message, which the audit log keeps.
      const link = openIntake(ctx.services, tenant, service, intake.settings, ctx.identity.userId)
      throw conflict('The Telegram bot token has not been saved yet: the owner opens the new intake link (intake_url; earlier links no longer work), pastes the token, then calls mctl_resume_openclaw_deploy again', link)
    }
    const deploy = openclawDeploy(index, settings.openclaw.image, tenant, service, intake.settings)
    checkRoomFor(index, deploy)

    const database = !index.database(tenant, service)
    if (database) {
      checkProvisionable(index, tenant, service)
      await ensureDatabasePassword(secrets, tenant, service)
    }
    const first = database
      ? enqueue(ctx, { operation: 'provision-database', params: { team_name: tenant, app_name: service }, tenant, service, unless: provisionInFlight(tenant, service) })
      : undefined
    const onboard = enqueue(ctx, { operation: 'deploy-service', params: { ...deploy }, tenant, service, after: first?.id })
    const done = await waitFor(ctx, onboard, wait_seconds)
    const ops = [...(first ? [ctx.services.engine.get(first.id)!] : []), done]
    return {
      ...operationResult(done),
      operations: ops.map(op => ({ operation: op.name, operation_id: op.id, workflow_name: op.workflowName, status: op.status })),
    }
  },
})
