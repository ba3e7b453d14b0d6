/**
 * An action a person starts from a dialog or form: `busy` while it runs, and `failure` the
 * server's message when it fails (cleared when the next attempt starts).
 */
export function useAttempt() {
  const busy = ref(false)
  const failure = ref('')
  async function attempt(action: () => Promise<void>) {
    busy.value = true
    failure.value = ''
    try {
      await action()
    }
    catch (err) {
      failure.value = errorText(err)
    }
    finally {
      busy.value = false
    }
  }
  return { busy, failure, attempt }
}
