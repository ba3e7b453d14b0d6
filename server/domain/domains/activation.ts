import { and, eq, inArray, sql } from 'drizzle-orm'
import { domains, operations } from '../../db/schema'
import { serviceChanges } from '../../gitops/render/service'
import type { RepoIndex } from '../../gitops/state'
import type { SubmitGuard } from '../../operations/engine'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { conflict } from '../../utils/errors'
import { requireService } from '../services/view'
import { findDomain } from './store'

export interface DomainParams { team: string, service: string, domain: string }

/** The service's manifests with `domain` on its Ingress (and a Certificate), or without it. */
function withDomain(p: DomainParams, index: RepoIndex, present: boolean) {
  const spec = requireService(index, p.team, p.service)
  const others = spec.domains.filter(d => d.name !== p.domain)
  const domainsAfter = present ? [...others, { name: p.domain }].sort((a, b) => a.name.localeCompare(b.name)) : others
  return serviceChanges(p.team, p.service, { ...spec, domains: domainsAfter }, index.platform)
}

/** An operation of this name for this domain that has not ended: submitting another would race it. */
export const inFlight = (name: string, domain: string): SubmitGuard => tx => tx.select().from(operations).where(and(
  eq(operations.name, name),
  inArray(operations.status, ['queued', 'running']),
  sql`json_extract(${operations.params}, '$.domain') = ${domain}`,
)).get()

export const addDomainOperation = defineOperation<DomainParams>({
  name: 'add-custom-domain',
  description: 'Activate a custom domain whose DNS is verified: its host on the service\'s Ingress and a cert-manager Certificate, in one commit (queued by the domain checker)',
  riskLevel: 'medium',
  steps: [
    commitStep<DomainParams>({
      title: p => ({ verb: 'domain', subject: `${p.team}/${p.service}`, detail: p.domain }),
      build(p, index, _op, { db }) {
        if (!findDomain(db, p.domain, p.team)) throw conflict(`The registration of ${p.domain} was removed before it could be activated`)
        return withDomain(p, index, true)
      },
    }),
    {
      name: 'activate',
      async run({ operation, params: p, services: { db } }) {
        db.update(domains).set({ status: 'active', activatedAt: new Date().toISOString(), lastError: null })
          .where(and(eq(domains.domain, p.domain), eq(domains.operationId, operation.id))).run()
        return { message: `${p.domain} is active` }
      },
    },
    syncStep,
  ],
  summary: p => `Custom domain ${p.domain} active on "${p.team}/${p.service}"`,
})

export const removeDomainOperation = defineOperation<DomainParams>({
  name: 'remove-custom-domain',
  description: 'Remove a custom domain: its Ingress host and Certificate go in one commit, then its registration',
  riskLevel: 'high',
  steps: [
    commitStep<DomainParams>({
      title: p => ({ verb: 'domain-remove', subject: `${p.team}/${p.service}`, detail: p.domain }),
      build: (p, index) => index.service(p.team, p.service) ? withDomain(p, index, false) : new Map(),
    }),
    {
      name: 'unregister',
      async run({ params: p, services: { db } }) {
        db.delete(domains).where(and(eq(domains.domain, p.domain), eq(domains.tenant, p.team))).run()
        return { message: `Registration of ${p.domain} deleted` }
      },
    },
    syncStep,
  ],
  summary: p => `Custom domain ${p.domain} removed from "${p.team}/${p.service}"`,
})
