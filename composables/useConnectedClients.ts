import type { ConnectedClient } from '~~/shared/types/oauth'

/** The AI clients this person has authorized through OAuth: list, and revoke one (ends its grant). */
export function useConnectedClients() {
  const api = useApi()
  const { data, refresh, status } = useFetch<{ items: ConnectedClient[] }>('/api/auth/connected-clients', { key: 'connected-clients', server: false })
  return {
    clients: computed(() => data.value?.items ?? []),
    status,
    async revoke(c: ConnectedClient) {
      await api(`/api/auth/connected-clients/${encodeURIComponent(c.id)}`, { method: 'DELETE' })
      await refresh()
    },
  }
}
