// TOOLS.md "Names": the rules every tenant and service name follows. Shared by the server
// (tool input validation) and the workspace form, so both say the same thing.

/** Tenant and service names are DNS labels of 1–31 characters. */
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
