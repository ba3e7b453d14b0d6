import { z } from 'zod'
import type { DomainRow } from '../../db/schema'
import { serviceName, tenantRef } from '../../gitops/names'
import { notFound } from '../../utils/errors'
import { defineTool, READ, type ToolContext } from '../define'
import { requireService } from '../services/view'
import { inFlight } from './activation'
import { judge, lookup } from './check'
import { Domain, domainName, OperationRef } from './schemas'
import { domainView, serviceDomains, settle, targetHost, updateDomain } from './store'

const Result = Domain.extend({
  verified: z.boolean().describe('DNS proves control now'),
  method: z.enum(['cname', 'txt']).nullable().describe('Which record proved it'),
  found: z.object({ cname: z.array(z.string()), txt: z.array(z.string()) }).describe('What DNS answered'),
  message: z.string(),
  operation: OperationRef.optional().describe('The activation this check queued (add-custom-domain)'),
})

/**
 * One domain: look, record what was seen, and move it on. A domain DNS proves is handed to
 * the add-custom-domain operation, requested by whoever registered it (their write was
 * audited then); a resolver that does not answer changes nothing.
 */
async function verify(ctx: ToolContext, row: DomainRow, host: string | null): Promise<z.input<typeof Result>> {
  const { db, dns, engine } = ctx.services
  const { found, errors } = await lookup(dns, row.domain)
  const verdict = judge(row.domain, found, errors, host, row.token)
  const checked = { lastCheckedAt: new Date().toISOString() }
  const settled = row.status === 'active' || row.status === 'verified'
  let operation: z.infer<typeof OperationRef> | undefined
  let next: DomainRow | undefined
  let message: string
  if (verdict.result === 'match') {
    if (settled) {
      next = updateDomain(db, row.domain, { ...checked, lastError: null })
      message = row.status === 'active' ? `${row.domain} is active and DNS still points here` : `${row.domain} is verified; its activation ${row.operationId} is running`
    }
    else {
      const op = engine.submit({
        name: 'add-custom-domain',
        params: { team: row.tenant, service: row.service, domain: row.domain },
        tenant: row.tenant,
        service: row.service,
        requester: { id: row.requestedBy, name: row.requesterName, email: row.requesterEmail },
        client: ctx.client,
      }, inFlight('add-custom-domain', row.domain))
      operation = { operation_id: op.id, workflow_name: op.workflowName, status: op.status }
      next = updateDomain(db, row.domain, { ...checked, status: 'verified', verifiedAt: checked.lastCheckedAt, operationId: op.id, lastError: null })
      message = `DNS proves control of ${row.domain} (${verdict.method === 'cname' ? `CNAME → ${host}` : 'TXT challenge'}): activation ${op.workflowName} commits its Ingress host and certificate`
    }
  }
  else if (verdict.result === 'unreachable' || settled) {
    next = updateDomain(db, row.domain, { ...checked, lastError: verdict.reason })
    message = verdict.result === 'unreachable' ? `DNS could not be asked, status unchanged: ${verdict.reason}` : `${row.domain} stays ${row.status}, but DNS no longer proves it: ${verdict.reason}`
  }
  else {
    next = updateDomain(db, row.domain, { ...checked, status: verdict.result === 'mismatch' ? 'failed' : 'pending', lastError: verdict.reason })
    message = verdict.reason
  }
  return {
    ...domainView(next ?? row, host),
    verified: verdict.result === 'match',
    method: verdict.result === 'match' ? verdict.method : null,
    found,
    message,
    ...(operation ? { operation } : {}),
  }
}

export default defineTool({
  name: 'mctl_verify_domain',
  title: 'Verify custom domains',
  description: 'Check DNS for a service\'s custom domains (or one): a CNAME to the service host or the _mctl-challenge TXT record. Reports what was found against what is expected, and activates each domain DNS proves (the answer names the operation).',
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
    const rows = serviceDomains(db, team, service).filter(r => !domain || r.domain === domain).map(r => settle(db, engine, r))
    if (domain && !rows.length) throw notFound(`Domain "${domain}" is not registered for "${team}/${service}": add it with mctl_add_custom_domain`)
    const host = targetHost(index, team, service)
    const results = []
    for (const row of rows) results.push(await verify(ctx, row, host))
    return { results, count: results.length }
  },
})
