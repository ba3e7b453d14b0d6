/** How often open pages read live state again; the server keeps one cluster read that long. */
export const LIVE_REFRESH_MS = 5_000

/**
 * Reads live state again every `ms` while the page is open and the tab visible (usePolling),
 * in place: no reload, no spinner, filters kept. A hidden tab asks nothing; a tab shown
 * again refreshes at once.
 */
export function useLiveRefresh(refresh: () => Promise<unknown>, ms = LIVE_REFRESH_MS) {
  if (import.meta.server) return
  const visible = ref(document.visibilityState === 'visible')
  const onChange = () => {
    visible.value = document.visibilityState === 'visible'
    if (visible.value) void refresh()
  }
  document.addEventListener('visibilitychange', onChange)
  onScopeDispose(() => document.removeEventListener('visibilitychange', onChange))
  usePolling(refresh, ms, visible)
}
