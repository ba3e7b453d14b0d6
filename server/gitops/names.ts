import { z } from 'zod'
import { DNS_LABEL, labelProblem, tenantNameProblem } from '../../shared/utils/names'

const checked = (problem: (v: string) => string | null, description: string) =>
  z.string().superRefine((value, ctx) => {
    const p = problem(value)
    if (p) ctx.addIssue({ code: 'custom', message: p })
  }).meta({ pattern: DNS_LABEL.source, minLength: 1, maxLength: 31 }).describe(description)

/** An existing tenant named in an input (any well-formed label; reserved names simply do not exist). */
export const tenantRef = (description = 'Tenant (team) name') => checked(labelProblem, description)
/** A new tenant's name: well-formed and not reserved. */
export const newTenantName = (description = 'Name of the new tenant') => checked(tenantNameProblem, description)
export const serviceName = (description = 'Service (component) name') => checked(labelProblem, description)

/** GITOPS.md "Names": the default public host of a web service. */
export const defaultHost = (tenant: string, service: string, baseDomain: string) => `${tenant}-${service}.${baseDomain}`

/** GITOPS.md "Names": the Argo CD Application that syncs a service. */
export const applicationName = (tenant: string, service: string) => `${tenant}-${service}`

/** The secret-store folder of everything a tenant keeps there. */
export const tenantSecretPrefix = (tenant: string) => `mctl/${tenant}`
/** The secret-store key of a service's secret env vars (the ExternalSecret's remoteRef.key). */
export const secretStoreKey = (tenant: string, service: string) => `${tenantSecretPrefix(tenant)}/${service}`

/** Names of a Deployment's pods, `<service>-<replicaset hash>-<suffix>`, as a (fully anchored) regex: previews' pods have one more segment. */
export const deploymentPods = (service: string) => `${service}-[a-z0-9]+-[a-z0-9]+`
