import type { z } from 'zod'
import type { Service, Tenant } from '~~/server/tools/schemas'
import type { Usage } from '~~/server/tools/services/schemas'
import type { Preview } from '~~/server/tools/previews/schemas'
import type { Domain } from '~~/server/tools/domains/schemas'

// Types come from the tools' output schemas, so the console reads exactly what the API answers.
export type TenantInfo = z.infer<typeof Tenant>
export type ServiceInfo = z.infer<typeof Service>
export type UsageInfo = z.infer<typeof Usage>
export type PreviewInfo = z.infer<typeof Preview>
export type DomainInfo = z.infer<typeof Domain>
export interface TenantDetail { tenant: TenantInfo, services: ServiceInfo[], usage?: UsageInfo }

const path = (name: string) => `/api/v1/tenants/${encodeURIComponent(name)}`

/** One tenant (mctl_get_tenant): settings, members, services. */
export function useTenant(name: string) {
  return useFetch<TenantDetail>(path(name), { key: `tenant-${name}` })
}

/** The rest of a tenant's page: quota usage, previews and custom domains, fetched side by side. */
export function useTenantResources(name: string) {
  const usage = useFetch<UsageInfo>(`${path(name)}/usage`, { key: `tenant-usage-${name}` })
  const previews = useFetch<{ items: PreviewInfo[], note?: string }>(`${path(name)}/previews`, { key: `tenant-previews-${name}` })
  const domains = useFetch<{ items: DomainInfo[] }>(`${path(name)}/domains`, { key: `tenant-domains-${name}` })
  return {
    usage: usage.data,
    previews: computed(() => previews.data.value?.items ?? []),
    previewNote: computed(() => previews.data.value?.note),
    domains: computed(() => domains.data.value?.items ?? []),
    pending: computed(() => [usage, previews, domains].some(f => f.status.value === 'pending')),
    error: computed(() => [usage, previews, domains].map(f => f.error.value).find(Boolean)),
    refresh: () => Promise.all([usage, previews, domains].map(f => f.refresh())),
  }
}
