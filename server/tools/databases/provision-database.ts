import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'
import { checkPolicy } from '../../gitops/policy'
import { conflict } from '../../utils/errors'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { checkProvisionable, ensureDatabasePassword, provisionChanges, provisionInFlight, provisionOperation } from '../../domain/databases/provision'

export default defineTool({
  name: 'mctl_provision_database',
  title: 'Provision a database',
  description: 'Create a PostgreSQL database for an app (shared CloudNativePG, via PgBouncer); the app reads DATABASE_URL and DB_* from the secret "<app>-database", the password is never shown. 409 if it exists.',
  input: z.object({
    team_name: tenantRef('Tenant that owns the app'),
    app_name: serviceName('Service the database is for; also names it and its role'),
    wait_seconds: waitSeconds,
  }),
  output: OperationResult,
  annotations: WRITE,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/databases' },
  operation: provisionOperation,
  async handler(ctx, { wait_seconds, ...params }) {
    const { index, db, secrets } = ctx.services
    const { team_name: tenant, app_name: app } = params
    checkProvisionable(index, tenant, app)
    const pending = provisionInFlight(tenant, app)(db)
    if (pending) throw conflict(`The database of "${tenant}/${app}" is already being provisioned (${pending.workflowName})`)
    checkPolicy(provisionChanges(index, tenant, app), index)
    await ensureDatabasePassword(secrets, tenant, app)
    return submitOperation(ctx, { operation: 'provision-database', params, tenant, service: app, waitSeconds: wait_seconds, unless: provisionInFlight(tenant, app) })
  },
})
