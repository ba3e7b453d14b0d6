export interface TokenRow {
  id: string
  name: string
  scopes: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface NewToken { name: string, scopes: ('read' | 'write')[], expiresInDays: number | null }

/** Personal access tokens of the signed-in person: list, create (value returned once), revoke. */
export function useTokens() {
  const api = useApi()
  const { data, refresh, status } = useFetch<{ items: TokenRow[] }>('/api/tokens', { key: 'tokens', server: false })
  return {
    tokens: computed(() => data.value?.items ?? []),
    status,
    async create(t: NewToken) {
      const created = await api<{ token: string, name: string }>('/api/tokens', { method: 'POST', body: t })
      await refresh()
      return created
    },
    async revoke(id: string) {
      await api(`/api/tokens/${id}`, { method: 'DELETE' })
      await refresh()
    },
  }
}
