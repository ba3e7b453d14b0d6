/** Copies text to the clipboard; `copied` stays true for two seconds so buttons can say so. */
export function useCopy() {
  const copied = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  async function copy(text: string) {
    await navigator.clipboard.writeText(text)
    copied.value = true
    clearTimeout(timer)
    timer = setTimeout(() => { copied.value = false }, 2000)
  }
  onScopeDispose(() => clearTimeout(timer))
  return { copied, copy }
}
