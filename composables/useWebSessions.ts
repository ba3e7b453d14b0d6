export interface WebSessionRow {
  id: string
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  userAgent: string
  ip: string
  /** This browser. */
  current: boolean
}

/** The signed-in person's browser sessions: list, and revoke one (revoking this one signs out). */
export function useWebSessions() {
  const api = useApi()
  const { clear } = useUserSession()
  const { data, refresh, status } = useFetch<{ items: WebSessionRow[] }>('/api/auth/sessions', { key: 'web-sessions', server: false })
  return {
    sessions: computed(() => data.value?.items ?? []),
    status,
    async revoke(s: WebSessionRow) {
      await api(`/api/auth/sessions/${s.id}`, { method: 'DELETE' })
      if (!s.current) {
        await refresh()
        return
      }
      await clear()
      await navigateTo('/login')
    },
  }
}
