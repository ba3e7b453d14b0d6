import { eq } from 'drizzle-orm'
import type { Button } from '../adapters/telegram'
import { incidents, type Incident } from '../db/schema'
import type { Services } from '../services'
import { displayId } from '../domain/incidents/store'
import { errorMessage } from '../utils/errors'
import type { Analysis } from '../domain/incidents/model'
import { note, proposalOf } from '../domain/incidents/state'

/**
 * Telegram messages of the agent: a new actionable incident (with its proposal and
 * Approve/Reject buttons), the decision and outcome edited into the same message, and a new
 * message on escalation. Posting is best effort: a failure is noted in the incident history
 * and logged, and never holds the incident back.
 */

/** Telegram refuses messages over 4096 characters: a long "no fix" reason is cut (the incident has it all). */
const MAX_TEXT = 4000
const clip = (s: string, n = 1500) => s.length > n ? `${s.slice(0, n)}…` : s

export const callbackData = (verdict: 'approve' | 'reject', id: string) => `${verdict}:${id}`

function chatOf(services: Services, i: Incident) {
  return i.tenant ? services.index.tenant(i.tenant)?.telegram?.chatId ?? null : null
}

function text(services: Services, i: Incident, status?: string) {
  const a = i.analysis as Analysis | null
  const p = proposalOf(i)
  return [
    `🚨 ${displayId(i)} ${i.tenant}${i.service ? `/${i.service}` : ''}: ${i.alertname} (${i.severity})`,
    i.summary,
    a ? `\nAnalysis: ${a.summary}` : '',
    p
      ? `\nProposed fix (${p.skill}, ${Math.round(p.confidence * 100)}% confidence): ${p.title}\n${p.diffSummary}${p.commit ? `\nBranch ${p.branch}${p.prUrl ? ` · ${p.prUrl}` : ''}` : ''}`
      : `\n${clip(i.stageReason ?? 'No fix proposed: see the incident')}`,
    `\n${services.settings.baseUrl}/console/incidents/${i.id}`,
    status ? `\n${status}` : '',
  ].filter(Boolean).join('\n').slice(0, MAX_TEXT)
}

async function attempt(services: Services, i: Incident, what: string, fn: () => Promise<void>) {
  try { await fn() }
  catch (err) {
    note(services.db, i, `Telegram: could not ${what}: ${errorMessage(err)}`)
    services.logger.warn('agent.telegram_failed', { incident: i.id, what, error: errorMessage(err) })
  }
}

/** Posts a newly analysed actionable incident once (the message id is kept on the incident). */
export async function announce(services: Services, i: Incident) {
  const chatId = chatOf(services, i)
  if (!services.telegram || !chatId || i.notice) return
  const p = proposalOf(i)
  const buttons: Button[][] | undefined = p?.state === 'open'
    ? [[{ text: '✅ Approve', data: callbackData('approve', i.id) }, { text: '❌ Reject', data: callbackData('reject', i.id) }]]
    : undefined
  await attempt(services, i, 'post the incident', async () => {
    const messageId = await services.telegram!.send(chatId, text(services, i), buttons)
    services.db.update(incidents).set({ notice: { chatId, messageId } }).where(eq(incidents.id, i.id)).run()
  })
}

/** Edits the posted message to say where the incident stands now (buttons removed). */
export async function update(services: Services, i: Incident, status: string) {
  if (!services.telegram || !i.notice) return
  const { chatId, messageId } = i.notice
  await attempt(services, i, 'update the message', () => services.telegram!.edit(chatId, messageId, text(services, i, status)))
}

/** A new message (not an edit), so the chat is notified: the fix did not help. */
export async function escalate(services: Services, i: Incident) {
  const chatId = chatOf(services, i)
  if (!services.telegram || !chatId) return
  await attempt(services, i, 'post the escalation', async () => {
    await services.telegram!.send(chatId, [
      `⚠️ Still firing after the fix: ${displayId(i)} ${i.tenant}/${i.service} ${i.alertname} (${i.severity})`,
      i.stageReason ?? '',
      `Needs a person: ${services.settings.baseUrl}/console/incidents/${i.id}`,
    ].join('\n'))
  })
}
