export interface ConnectedClientRow {
  /** The grant's id. */
  id: string
  clientId: string
  clientName: string
  /** Scopes by resource URL. */
  scopes: Record<string, string[]>
  authorizedAt: string | null
  lastUsedAt: string | null
}

/** The AI clients this person has authorized through OAuth: list, and revoke one (ends its grant). */
export function useConnectedClients() {
  const api = useApi()
  const { data, refresh, status } = useFetch<{ items: ConnectedClientRow[] }>('/api/auth/connected-clients', { key: 'connected-clients', server: false })
  return {
    clients: computed(() => data.value?.items ?? []),
    status,
    async revoke(c: ConnectedClientRow) {
      await api(`/api/auth/connected-clients/${encodeURIComponent(c.id)}`, { method: 'DELETE' })
      await refresh()
    },
  }
}
