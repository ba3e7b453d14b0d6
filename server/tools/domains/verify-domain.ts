import { z } from 'zod'
import type { DomainRow } from '../../db/schema'
import { serviceName, tenantRef } from '../../gitops/names'
import { notFound } from '../../utils/errors'
import { defineTool, READ, type ToolContext } from '../define'
import { requireService } from '../../domain/services/view'
import { judge, lookup } from '../../domain/domains/check'
import { Domain, domainName, OperationRef } from './schemas'
import { domainView, serviceDomains, settle, targetHost } from '../../domain/domains/store'

const Result = Domain.extend({
  verified: z.boolean().describe('DNS proves control now'),
  method: z.enum(['cname', 'txt']).nullable().describe('Which record proved it'),
  found: z.object({ cname: z.array(z.string()), txt: z.array(z.string()) }).describe('What DNS answered'),
  message: z.string(),
  operation: OperationRef.optional().describe('The activation (add-custom-domain) that is running for it, if any'),
  nextCheckAt: z.string().nullable().describe('When the domain checker looks at DNS again and acts on what it finds (activates a proven domain, records a missing or wrong record)'),
})

/**
 * One domain: look and report. Nothing is written: the domain checker records what DNS says
 * and activates a proven domain on behalf of whoever added it. A domain DNS proves now wakes
 * it (a signal: the checker looks again itself, and acts on its own account).
 */
async function verify(ctx: ToolContext, row: DomainRow, host: string | null): Promise<z.input<typeof Result>> {
  const { dns, domainChecker, engine } = ctx.services
  const { found, errors } = await lookup(dns, row.domain)
  const verdict = judge(row.domain, found, errors, host, row.token)
  const waiting = row.status === 'pending' || row.status === 'failed'
  const next = (verdict.result === 'match' && waiting ? domainChecker.wake([row]) : domainChecker.nextCheckAt)?.toISOString() ?? null
  const when = next ? `the domain checker acts at ${next}` : 'the domain checker is not running'
  const running = row.status === 'verified' && row.operationId ? engine.get(row.operationId) : undefined
  let message: string
  if (verdict.result === 'match') {
    message = row.status === 'active'
      ? `${row.domain} is active and DNS still points here`
      : row.status === 'verified'
        ? `${row.domain} is verified; its activation ${row.operationId} is running`
        : `DNS proves control of ${row.domain} (${verdict.method === 'cname' ? `CNAME → ${host}` : 'TXT challenge'}): ${when}, committing its Ingress host and certificate`
  }
  else if (verdict.result === 'unreachable') {
    message = `DNS could not be asked, status unchanged: ${verdict.reason}`
  }
  else {
    message = row.status === 'active' || row.status === 'verified'
      ? `${row.domain} stays ${row.status}, but DNS no longer proves it: ${verdict.reason}`
      : `${verdict.reason}; ${when}`
  }
  return {
    ...domainView(row, host),
    verified: verdict.result === 'match',
    method: verdict.result === 'match' ? verdict.method : null,
    found,
    message,
    ...(running ? { operation: { operation_id: running.id, workflow_name: running.workflowName, status: running.status } } : {}),
    nextCheckAt: next,
  }
}

export default defineTool({
  name: 'mctl_verify_domain',
  title: 'Verify custom domains',
  description: 'Check DNS for a service\'s custom domains (CNAME to the service host, or the _mctl-challenge TXT): found against expected, and when the checker activates a proven one. Changes nothing.',
  input: z.object({
    team: tenantRef('Tenant'),
    service: serviceName('Service whose domains to check'),
    domain: domainName('Only this domain').optional(),
  }),
  output: z.object({ results: z.array(Result), count: z.number().int() }),
  annotations: READ,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'GET', path: '/api/v1/services/{team}/{service}/domains/verify' },
  async handler(ctx, { team, service, domain }) {
    const { db, engine, index } = ctx.services
    requireService(index, team, service)
    const rows = serviceDomains(db, team, service).filter(r => !domain || r.domain === domain).map(r => settle(engine, r))
    if (domain && !rows.length) throw notFound(`Domain "${domain}" is not registered for "${team}/${service}": add it with mctl_add_custom_domain`)
    const host = targetHost(index, team, service)
    const results = []
    for (const row of rows) results.push(await verify(ctx, row, host))
    return { results, count: results.length }
  },
})
