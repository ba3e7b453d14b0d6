/** The OpenClaw bot-token intake behind a one-time link (server/api/v1/intake). */
export interface IntakeState { team: string, service: string, status: 'open' | 'used' | 'expired' | 'replaced', expires_at: string }

export function useIntake(token: string) {
  const url = `/api/v1/intake/${encodeURIComponent(token)}`
  const state = useFetch<IntakeState>(url, { key: `intake-${token}` })
  async function submit(botToken: string) {
    return $fetch<{ saved: boolean, next_step: string }>(url, { method: 'POST', body: { bot_token: botToken } })
  }
  return { state, submit }
}
