import type { z } from 'zod'
import type { Workflow } from '~~/server/tools/operations/schemas'
import type { Incident } from '~~/server/tools/incidents/schemas'
import type { TenantDetail } from './useTenant'

export type WorkflowInfo = z.infer<typeof Workflow>
export type IncidentInfo = z.infer<typeof Incident>

/** The details of each tenant the signed-in person belongs to (from whoami). */
export function useMyTenants() {
  const { data: me, status } = useWhoami()
  // Forwards the session cookie when rendered on the server; plain $fetch in the browser.
  const fetcher = useRequestFetch()
  const names = computed(() => me.value?.tenants.map(t => t.name) ?? [])
  const details = useAsyncData('my-tenants', () => Promise.all(names.value.map(n =>
    fetcher<TenantDetail>(`/api/v1/tenants/${encodeURIComponent(n)}`))), { watch: [names], default: () => [] })
  return {
    tenants: computed(() => (me.value?.tenants ?? []).map(t => ({ ...t, detail: details.data.value.find(d => d.tenant.name === t.name) }))),
    pending: computed(() => status.value === 'pending' || details.status.value === 'pending'),
    error: details.error,
  }
}

/** Operation runs the person can see, newest first (mctl_list_workflows). */
export function useRecentWorkflows(limit = 10) {
  return useFetch<{ items: WorkflowInfo[] }>('/api/v1/workflows', { key: 'recent-workflows', query: { limit } })
}

/** Incidents not yet resolved or suppressed, in the person's tenants (mctl_list_incidents). */
export function useActiveIncidents(limit = 10) {
  return useFetch<{ items: IncidentInfo[] }>('/api/v1/incidents', { key: 'active-incidents', query: { status: 'active', limit } })
}
