// The words and colours the console uses for states, shared with the server messages they
// are read from, so "succeeded" is never shown for something that did not happen.

export type StatusColor = 'neutral' | 'info' | 'success' | 'error' | 'warning'
export interface StatusWord { label: string, color: StatusColor, icon: string }

/** The sync step's message when no cluster is connected: the commit is in git, nothing is applied. */
export const NOT_APPLIED = 'Committed — not applied: no cluster connected'

const WORDS: Record<string, StatusWord> = {
  queued: { label: 'queued', color: 'neutral', icon: 'i-lucide-clock' },
  running: { label: 'running', color: 'info', icon: 'i-lucide-loader-circle' },
  succeeded: { label: 'succeeded', color: 'success', icon: 'i-lucide-circle-check' },
  failed: { label: 'failed', color: 'error', icon: 'i-lucide-circle-x' },
  cancelled: { label: 'cancelled', color: 'warning', icon: 'i-lucide-ban' },
}

/** How an operation's or a step's status reads; a step's message can say it did less than "succeeded". */
export function statusWord(status: string, message?: string | null): StatusWord {
  if (status === 'succeeded' && message?.startsWith(NOT_APPLIED))
    return { label: 'committed — not applied', color: 'warning', icon: 'i-lucide-git-commit-horizontal' }
  return WORDS[status] ?? { label: status, color: 'neutral', icon: 'i-lucide-circle-help' }
}

/**
 * Which row of a deploy history (newest first) is the one running now: the newest with the
 * current image. A rollback's commit and the deploy it returned to have the same image, and
 * only the newer is current.
 */
export function currentDeployIndex(history: { image: string }[], currentImage: string): number {
  return history.findIndex(d => d.image === currentImage)
}
