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
