/**
 * Runs `tick` every `ms` while `active` is true, in the browser only. The next run is planned
 * when the previous one has ended (never two at once, never a busy loop), and polling stops
 * for good when the component that started it goes away.
 */
export function usePolling(tick: () => Promise<unknown>, ms: number, active: Ref<boolean>) {
  if (import.meta.server) return
  let timer: ReturnType<typeof setTimeout> | undefined
  let disposed = false
  const stop = () => {
    clearTimeout(timer)
    timer = undefined
  }
  const plan = () => {
    stop()
    if (disposed || !active.value) return
    timer = setTimeout(async () => {
      await tick()
      plan()
    }, ms)
  }
  watch(active, plan, { immediate: true })
  onScopeDispose(() => {
    disposed = true
    stop()
  })
}
