/** GITOPS.md "Names": the labels every rendered object carries. */
export function tenantLabels(tenant: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'mctl',
    'app.kubernetes.io/part-of': tenant,
    'mctl.dev/tenant': tenant,
  }
}

export function serviceLabels(tenant: string, service: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': service,
    ...tenantLabels(tenant),
    'mctl.dev/service': service,
  }
}

/** The pod selector of a service: immutable once applied, so only labels that never change. */
export function serviceSelector(tenant: string, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'mctl.dev/tenant': tenant }
}

export const labelSelector = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')
