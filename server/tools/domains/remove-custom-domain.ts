import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'
import { certificateName, manifestsDir } from '../../gitops/render/service'
import { serviceSpecPath } from '../../gitops/state'
import { notFound } from '../../utils/errors'
import { consumeConfirmation, issueConfirmation } from '../confirm'
import { defineTool, DESTRUCTIVE } from '../define'
import { confirmInput, DestructiveResult, waitSeconds } from '../schemas'
import { requireService } from '../../domain/services/view'
import { submitOperation } from '../submit'
import { inFlight, removeDomainOperation } from '../../domain/domains/activation'
import { domainName } from './schemas'
import { findDomain } from '../../domain/domains/store'

export default defineTool({
  name: 'mctl_remove_custom_domain',
  title: 'Remove a custom domain',
  description: 'Remove a custom domain from a service (Ingress host, certificate, registration). Two calls: the first returns the plan and a confirm token; call again with confirm to run it.',
  input: z.object({
    team: tenantRef('Tenant'),
    service: serviceName('Service the domain belongs to'),
    domain: domainName('The custom domain to remove'),
    confirm: confirmInput,
    wait_seconds: waitSeconds,
  }),
  output: DestructiveResult,
  annotations: DESTRUCTIVE,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'DELETE', path: '/api/v1/services/{team}/{service}/domains/{domain}' },
  operation: removeDomainOperation,
  async handler(ctx, { confirm, wait_seconds, ...args }) {
    const { team, service, domain } = args
    const spec = requireService(ctx.services.index, team, service)
    const row = findDomain(ctx.services.db, domain, team)
    const registered = row?.service === service
    const onIngress = spec.domains.some(d => d.name === domain)
    if (!registered && !onIngress) throw notFound(`Domain "${domain}" is not a custom domain of "${team}/${service}"`)
    if (!confirm) {
      const dir = manifestsDir(team, service)
      const plan = {
        domain,
        service: `${team}/${service}`,
        status: registered ? row.status : 'active',
        ingressHost: onIngress ? domain : null,
        certificate: onIngress ? certificateName(service, domain, false) : null,
        files: onIngress ? [serviceSpecPath(team, service), `${dir}/certificates.yaml`, `${dir}/ingress.yaml`] : [],
        registration: registered ? 'deleted' : null,
      }
      return {
        status: 'confirmation_required' as const,
        message: `Removing ${domain} from "${team}/${service}"${onIngress ? ' takes its host off the Ingress and deletes its certificate' : ' deletes its registration (it is not on the Ingress yet)'}. Call again with "confirm" to proceed.`,
        plan,
        ...issueConfirmation(ctx, args),
      }
    }
    consumeConfirmation(ctx, args, confirm)
    return submitOperation(ctx, { operation: 'remove-custom-domain', params: args, tenant: team, service, waitSeconds: wait_seconds, unless: inFlight('remove-custom-domain', domain) })
  },
})
