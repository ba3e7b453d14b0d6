import type { z } from 'zod'
import type { Workflow } from '~~/server/tools/operations/schemas'
import type { Incident } from '~~/server/domain/incidents/schemas'
import type { TenantDetail } from './useTenant'
import type { Whoami } from './useWhoami'

export type WorkflowInfo = z.infer<typeof Workflow>
export type IncidentInfo = z.infer<typeof Incident>

/**
 * The workspaces the signed-in person belongs to (from whoami), each with its details. One
 * chain, so the server renders the details too and hydration has nothing left to fetch.
 */
export function useMyTenants() {
  // Forwards the session cookie when rendered on the server; plain $fetch in the browser.
  const fetcher = useRequestFetch()
  return useAsyncData('my-tenants', async () => {
    const me = await fetcher<Whoami>('/api/v1/whoami')
    return Promise.all(me.tenants.map(async t => ({
      ...t,
      detail: await fetcher<TenantDetail>(`/api/v1/tenants/${encodeURIComponent(t.name)}`),
    })))
  }, { default: () => [] })
}

/** Operation runs the person can see, newest first (mctl_list_workflows). */
export function useRecentWorkflows(limit = 10) {
  return useFetch<{ items: WorkflowInfo[] }>('/api/v1/workflows', { key: 'recent-workflows', query: { limit } })
}

/** Incidents not yet resolved or suppressed, in the person's tenants (mctl_list_incidents). */
export function useActiveIncidents(limit = 10) {
  return useFetch<{ items: IncidentInfo[] }>('/api/v1/incidents', { key: 'active-incidents', query: { status: 'active', limit } })
}
