import { z } from 'zod'
import { authorOf } from '../../auth/identity'
import { domains } from '../../db/schema'
import { hostsOf } from '../../gitops/hosts'
import { serviceName, tenantRef } from '../../gitops/names'
import { conflict, invalidField } from '../../utils/errors'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { requireService } from '../../domain/services/view'
import { addDomainOperation } from '../../domain/domains/activation'
import { Domain, domainName } from './schemas'
import { challengeName, domainView, findDomain, heldClaim, newChallenge, targetHost } from '../../domain/domains/store'

const HELD = (domain: string) => conflict(`Domain "${domain}" is already held by another tenant`)

export default defineTool({
  name: 'mctl_add_custom_domain',
  title: 'Add a custom domain',
  description: 'Register your own domain for a web service. It starts pending: create the DNS record returned (CNAME or TXT); once DNS proves it, the checker activates it (Ingress host and TLS, committed as you). The first tenant to prove a domain keeps it.',
  input: z.object({
    team: tenantRef('Tenant that owns the service'),
    service: serviceName('Web service the domain will serve'),
    domain: domainName('Your domain, e.g. "shop.example.com" (not under the platform\'s base domain)'),
  }),
  output: Domain.extend({ team: z.string(), message: z.string() }),
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'POST', path: '/api/v1/services/{team}/{service}/domains' },
  operation: addDomainOperation,
  async handler(ctx, { team, service, domain }) {
    const { db, index } = ctx.services
    const spec = requireService(index, team, service)
    if (spec.componentType !== 'web') throw invalidField('service', `"${team}/${service}" is a worker: only web services have an Ingress for custom domains`)
    const base = index.platform.baseDomain
    const host = targetHost(index, team, service)!
    if (domain === base || domain.endsWith(`.${base}`))
      throw invalidField('domain', `"${domain}" is the platform's base domain or a name under it (${base}): a custom domain is a name you own; the service already answers on ${host}`)

    const user = [...index.allServices()].find(s => !(s.tenant === team && s.name === service) && hostsOf(s.tenant, s.name, s.spec, index.platform).includes(domain))
    if (user) throw user.tenant === team ? conflict(`Domain "${domain}" is already a host of "${team}/${user.name}"`) : HELD(domain)
    // Another tenant's pending claim does not stop this one: the first whose DNS proves it keeps it.
    const held = heldClaim(db, domain)
    if (held && held.tenant !== team) throw HELD(domain)
    let row = findDomain(db, domain, team)
    if (row && row.service !== service) throw conflict(`Domain "${domain}" is already registered for "${team}/${row.service}": remove it there first`)
    const created = !row
    if (!row) {
      const author = authorOf(ctx.identity)
      row = db.insert(domains).values({ domain, tenant: team, service, token: newChallenge(), requestedBy: ctx.identity.userId, requesterName: author.name, requesterEmail: author.email })
        .onConflictDoNothing().returning().get()
      if (!row) throw conflict(`Domain "${domain}" was registered for "${team}" a moment ago: call again`)
    }
    const view = domainView(row, host)
    const next = `create a CNAME record ${domain} → ${host} (or, for an apex domain, a TXT record ${challengeName(domain)} with the value ${row.token}), then call mctl_verify_domain`
    return {
      ...view,
      team,
      message: created ? `Registered ${domain} for "${team}/${service}" (pending): ${next}` : `${domain} is already registered for "${team}/${service}" (${row.status})${row.status === 'active' ? '' : `: ${next}`}`,
    }
  },
})
