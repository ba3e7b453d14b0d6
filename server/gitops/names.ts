import { z } from 'zod'

/** TOOLS.md "Names": tenant and service names are DNS labels of 1–31 characters. */
export const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/
export const DNS_LABEL_RULE = '1–31 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"'

const RESERVED = new Set(['default', 'argocd', 'argo-workflows', 'argo-events', 'cert-manager', 'vault', 'external-secrets',
  'monitoring', 'ingress-nginx', 'traefik', 'backstage', 'minio', 'database', 'mctl'])
const RESERVED_PREFIXES = ['kube-', 'argo', 'platform-', 'mctl-', 'grafana-', 'vault']
const RESERVED_SUFFIXES = ['-system']

/** Why a DNS label is malformed, or null. */
export function labelProblem(name: string): string | null {
  if (name.length < 1 || name.length > 31 || !DNS_LABEL.test(name)) return `must be ${DNS_LABEL_RULE}`
  return null
}

/** Why a tenant name cannot be used (malformed or reserved), or null. */
export function tenantNameProblem(name: string): string | null {
  const malformed = labelProblem(name)
  if (malformed) return malformed
  if (RESERVED.has(name)) return `"${name}" is a reserved name`
  const prefix = RESERVED_PREFIXES.find(p => name.startsWith(p))
  if (prefix) return `names starting with "${prefix}" are reserved`
  const suffix = RESERVED_SUFFIXES.find(s => name.endsWith(s))
  if (suffix) return `names ending with "${suffix}" are reserved`
  return null
}

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

/** The secret-store key of a service's secret env vars (the ExternalSecret's remoteRef.key). */
export const secretStoreKey = (tenant: string, service: string) => `mctl/${tenant}/${service}`

/** Names of a Deployment's pods, `<service>-<replicaset hash>-<suffix>`, as a (fully anchored) regex: previews' pods have one more segment. */
export const deploymentPods = (service: string) => `${service}-[a-z0-9]+-[a-z0-9]+`
