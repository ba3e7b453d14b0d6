import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { Services } from '../services'
import { displayId, findIncident } from '../domain/incidents/store'
import { AppError, errorMessage, forbidden, invalid, unauthorized } from '../utils/errors'
import { systemIdentity } from '../auth/identity'
import { decide, decision, type Verdict } from './review'

/** The part of a Telegram Update the bot reads: a press of an inline button. */
const Update = z.object({
  update_id: z.number().int(),
  callback_query: z.object({
    id: z.string(),
    from: z.object({ id: z.number().int(), username: z.string().optional() }),
    message: z.object({ message_id: z.number().int(), chat: z.object({ id: z.number().int() }) }).optional(),
    data: z.string().optional(),
  }).optional(),
})

const BUTTON = /^(approve|reject):([0-9a-f]{32})$/
const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * POST /api/v1/telegram/webhook. Telegram proves itself with the secret token given to
 * setWebhook; the person who pressed a button is mapped to an MCTL user through the
 * tenant's tenant.yaml (`telegram.users`) and decides like anyone else (owner or admin,
 * audited with the chat). Always 200 once authenticated: Telegram resends anything else.
 */
export async function receiveTelegram(services: Services, secretHeader: string | undefined, body: unknown, ip?: string) {
  const { settings, telegram, index, directory, db, logger } = services
  if (!telegram || !settings.telegram.webhookSecret)
    throw new AppError(503, 'The Telegram webhook is not configured: set NUXT_TELEGRAM_BOT_TOKEN and NUXT_TELEGRAM_WEBHOOK_SECRET (the secret_token given to setWebhook)')
  if (!timingSafeEqual(digest(secretHeader ?? ''), digest(settings.telegram.webhookSecret))) throw unauthorized('Invalid or missing X-Telegram-Bot-Api-Secret-Token')
  const parsed = Update.safeParse(body)
  if (!parsed.success) throw invalid('Not a Telegram update')
  const q = parsed.data.callback_query
  const button = q?.data ? BUTTON.exec(q.data) : null
  if (!q || !button) return { ok: true } // messages and other updates: nothing to do

  const verdict = button[1] as Verdict
  const chat = String(q.message?.chat.id ?? '')
  const place = { chat, telegramUser: String(q.from.id) }
  let reply: string
  try {
    const incident = findIncident(db, button[2]!)
    // A press MCTL cannot map to a user is refused at the gate too (audited as the Telegram account).
    const refuse = (message: string) => services.gate.pass({
      ...decision(incident, verdict, { identity: systemIdentity({ id: `telegram:${q.from.id}`, name: '', email: '' }), client: 'telegram', ip, place }),
      authorize(subject) {
        subject.tenant = incident.tenant ?? undefined
        throw forbidden(message)
      },
      run: () => undefined,
    })
    const tg = incident.tenant ? index.tenant(incident.tenant)?.telegram : undefined
    const userId = tg?.chatId === chat ? tg.users[String(q.from.id)] : undefined
    const identity = userId ? directory.identityOf(userId, 'telegram') : null
    if (!tg || tg.chatId !== chat) await refuse('This chat is not the Telegram chat of the incident\'s tenant')
    else if (!userId) await refuse(`Your Telegram account (${q.from.id}) is not linked to an MCTL user of tenant "${incident.tenant}": add it under telegram.users in tenant.yaml`)
    else if (!identity) await refuse(`The MCTL user "${userId}" linked to your Telegram account does not exist`)
    else await decide(services, incident.id, verdict, { identity, client: 'telegram', ip, place })
    reply = verdict === 'approve' ? `${displayId(incident)} approved: merging the fix` : `${displayId(incident)} rejected: the branch will be deleted`
  }
  catch (err) {
    reply = err instanceof AppError ? err.message : 'Something went wrong; see the MCTL logs'
    if (!(err instanceof AppError)) logger.error('telegram.callback_failed', { error: errorMessage(err) })
  }
  await telegram.answerCallback(q.id, reply).catch(err => logger.warn('agent.telegram_failed', { what: 'answer the button', error: errorMessage(err) }))
  return { ok: true }
}
