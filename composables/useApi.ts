import type { NitroFetchOptions, NitroFetchRequest } from 'nitropack'

/**
 * $fetch for our own /api and /oauth routes from a signed-in page: sends the session's CSRF
 * token, which the server requires on every state-changing request.
 */
export function useApi() {
  const { session } = useUserSession()
  return <T>(url: NitroFetchRequest, opts: NitroFetchOptions<NitroFetchRequest> = {}) =>
    $fetch<T>(url, { ...opts, headers: { ...(opts.headers as Record<string, string>), 'x-csrf-token': String(session.value?.csrf ?? '') } })
}

/** The server's message from a failed $fetch, or a fallback a person can act on. */
export function errorText(err: unknown, fallback = 'Something went wrong; try again'): string {
  const data = (err as { data?: { error?: string, message?: string } })?.data
  return data?.error || data?.message || fallback
}
