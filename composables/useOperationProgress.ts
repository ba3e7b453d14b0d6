import type { z } from 'zod'
import type { WorkflowStatus } from '~~/server/tools/operations/schemas'

export type OperationSnapshot = z.infer<typeof WorkflowStatus>
export type StepInfo = OperationSnapshot['steps'][number]

const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])

/**
 * An operation's progress, live: the server's event stream (GET /api/v1/workflows/{id}/events)
 * sends a snapshot at once and after every change, until the operation has finished. When the
 * stream is refused (unknown id, not allowed), the server's message is fetched to show it.
 */
export function useOperationProgress(id: string) {
  const snapshot = ref<OperationSnapshot | null>(null)
  const failure = ref('')
  const url = `/api/v1/workflows/${encodeURIComponent(id)}`
  let source: EventSource | undefined

  function stop() {
    source?.close()
    source = undefined
  }

  onMounted(() => {
    source = new EventSource(`${url}/events`)
    source.addEventListener('snapshot', (event) => {
      snapshot.value = JSON.parse((event as MessageEvent<string>).data)
      if (FINISHED.has(snapshot.value!.status)) stop()
    })
    source.addEventListener('error', () => {
      // Closed by the browser: the server refused the stream (401/403/404), so ask it why.
      if (source?.readyState !== EventSource.CLOSED || snapshot.value) return
      stop()
      $fetch<OperationSnapshot>(url).then(
        (answer) => { snapshot.value = answer },
        (err) => { failure.value = errorText(err, 'The operation could not be loaded; reload the page') },
      )
    })
  })
  onBeforeUnmount(stop)

  return { snapshot, failure, finished: computed(() => !!snapshot.value && FINISHED.has(snapshot.value.status)) }
}
