/** Where to go after sign-in: a path on this site only (no open redirect); the console by default. */
export function safeRedirect(raw: unknown, fallback = '/console'): string {
  const path = typeof raw === 'string' ? raw : ''
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : fallback
}
