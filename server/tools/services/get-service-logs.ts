import { z } from 'zod'
import { defineTool, READ } from '../define'
import { service, team } from './inputs'
import { serviceLogs, sinceInput } from '../../domain/services/logs'
import { requireService } from '../../domain/services/view'

export default defineTool({
  name: 'mctl_get_service_logs',
  title: 'Get service logs',
  description: 'Recent log lines of a service, newest first, from Loki or else its pods; note says why lines may be missing.',
  input: z.object({
    team,
    service,
    lines: z.number().int('must be a whole number from 1 to 1000').min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000').default(100)
      .describe('Most lines to return'),
    since: sinceInput,
  }),
  output: z.object({
    lines: z.array(z.object({ timestamp: z.string(), line: z.string(), labels: z.record(z.string(), z.string()) })),
    count: z.number().int(),
    source: z.enum(['loki', 'kubernetes', 'none']).describe('Where the lines came from ("none": neither Loki nor a cluster is configured)'),
    note: z.string().optional(),
  }),
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.team }),
  rest: { method: 'GET', path: '/api/v1/services/{team}/{service}/logs' },
  async handler({ services }, { team, service, lines, since }) {
    requireService(services.index, team, service)
    return serviceLogs(services, team, service, lines, since)
  },
})
