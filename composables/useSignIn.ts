export interface SignInMethods { github: boolean, oidc: { name: string } | null, local: boolean, setupPending: boolean }

/**
 * Sign-in methods the server offers. Awaited by the page: a non-awaited server-side fetch
 * marks an async boundary on the server only, which shifts useId() and breaks label/input
 * pairs after hydration.
 */
export function useSignInMethods() {
  return useFetch<SignInMethods>('/api/auth/providers', { key: 'sign-in-methods' })
}

/** Local sign-in and sign-out. */
export function useSignIn() {
  const { fetch: refreshSession, clear } = useUserSession()
  const api = useApi()
  return {
    async local(login: string, password: string) {
      await $fetch('/api/auth/login', { method: 'POST', body: { login, password } })
      await refreshSession()
    },
    async signOut() {
      await api('/api/auth/logout', { method: 'POST' })
      await clear()
      await navigateTo('/login')
    },
  }
}
