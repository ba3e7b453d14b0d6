import { z } from 'zod'
import { tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { tenantRepos } from '../../domain/repos/grants'
import { Repository } from './schemas'

export default defineTool({
  name: 'mctl_list_repos',
  title: 'List repositories',
  description: 'GitHub repositories registered for a tenant through the MCTL GitHub App.',
  input: z.object({ team: tenantRef('Tenant') }),
  output: z.object({ items: z.array(Repository), count: z.number().int() }),
  annotations: READ,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'GET', path: '/api/v1/tenants/{team}/repos' },
  async handler({ services: { db } }, { team }) {
    const items = tenantRepos(db, team).map(({ tenant: _, ...r }) => r)
    return { items, count: items.length }
  },
})
