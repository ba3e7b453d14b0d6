/**
 * The tenants a person may filter a console list by: their own (whoami), and for admins, who
 * see every tenant's services and incidents, all of them (mctl_list_tenants is admin-only).
 */
export function useTenantChoices() {
  const { data: me } = useWhoami()
  const requestFetch = useRequestFetch()
  const { data: every } = useAsyncData('tenant-choices', () => me.value?.isAdmin
    ? requestFetch<{ items: { name: string }[] }>('/api/v1/tenants')
    : Promise.resolve({ items: [] }), { watch: [() => me.value?.isAdmin] })
  return computed(() => [...new Set([...(me.value?.tenants ?? []).map(t => t.name), ...(every.value?.items ?? []).map(t => t.name)])].sort())
}
