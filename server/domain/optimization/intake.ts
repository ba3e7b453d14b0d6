import { createHash, randomBytes } from 'node:crypto'
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import type { Db } from '../../db'
import { type OpenclawIntake, openclawIntakes } from '../../db/schema'
import { secretStoreKey } from '../../gitops/names'
import type { SecretStore } from '../../adapters/secrets'
import { AppError, invalidField, notFound } from '../../utils/errors'

/** The secret env var the OpenClaw template reads its bot token from. */
export const BOT_TOKEN = 'TELEGRAM_BOT_TOKEN'
/** Long enough to go to BotFather and back; short enough that a leaked link soon opens nothing. */
const TTL_MS = 24 * 3600_000
// BotFather tokens: "<bot id>:<secret>".
const BOT_TOKEN_FORMAT = /^\d{5,16}:[\w-]{30,64}$/

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
export type IntakeSettings = OpenclawIntake['settings']

/**
 * A one-time link for the owner to paste the Telegram bot token into the secret store, so
 * the token never passes through a chat, a tool argument or the audit log. Only the link's
 * hash is kept; a new link replaces older open ones of the same service.
 */
export function openIntake(services: { db: Db, settings: { baseUrl: string } }, tenant: string, service: string, settings: IntakeSettings, createdBy: string) {
  const token = randomBytes(24).toString('base64url')
  const expiresAt = new Date(Date.now() + TTL_MS).toISOString()
  services.db.transaction((tx) => {
    tx.update(openclawIntakes).set({ revokedAt: new Date().toISOString() })
      .where(and(eq(openclawIntakes.tenant, tenant), eq(openclawIntakes.service, service), isNull(openclawIntakes.usedAt), isNull(openclawIntakes.revokedAt))).run()
    tx.insert(openclawIntakes).values({ tokenHash: sha256(token), tenant, service, settings, createdBy, expiresAt }).run()
  })
  return { intake_url: `${services.settings.baseUrl}/intake/${token}`, expires_at: expiresAt }
}

/** The latest OpenClaw deployment started for this service (its settings), if any. */
export function latestIntake(db: Db, tenant: string, service: string): OpenclawIntake | undefined {
  return db.select().from(openclawIntakes).where(and(eq(openclawIntakes.tenant, tenant), eq(openclawIntakes.service, service)))
    .orderBy(desc(openclawIntakes.createdAt)).limit(1).get()
}

/** Forgets every intake of a tenant being deleted: an open link must not fill a later tenant's secret store. */
export function forgetIntakes(db: Db, tenant: string) {
  db.delete(openclawIntakes).where(eq(openclawIntakes.tenant, tenant)).run()
}

export async function botTokenSaved(secrets: SecretStore, tenant: string, service: string) {
  return (await secrets.names(secretStoreKey(tenant, service))).includes(BOT_TOKEN)
}

function stateOf(row: OpenclawIntake, now = new Date().toISOString()) {
  return row.usedAt ? 'used' : row.revokedAt ? 'replaced' : row.expiresAt <= now ? 'expired' : 'open'
}

/** GET /api/v1/intake/{token}: what the page shows before asking for the bot token. */
export function intakeStatus(db: Db, token: string) {
  const row = db.select().from(openclawIntakes).where(eq(openclawIntakes.tokenHash, sha256(token))).get()
  if (!row) throw notFound('This link is not valid: ask for a new one with mctl_deploy_openclaw')
  return { team: row.tenant, service: row.service, status: stateOf(row), expires_at: row.expiresAt }
}

/**
 * POST /api/v1/intake/{token}: the link is spent first (in one statement, so it works once),
 * then the bot token is stored; if storing fails the link opens again.
 */
export async function receiveBotToken(services: { db: Db, secrets: SecretStore }, token: string, body: unknown) {
  const value = (body as { bot_token?: unknown } | undefined)?.bot_token
  if (typeof value !== 'string' || !BOT_TOKEN_FORMAT.test(value.trim()))
    throw invalidField('bot_token', 'must be the token BotFather gave you, "<digits>:<30–64 letters, digits, _ or ->"')
  const { db, secrets } = services
  const hash = sha256(token)
  const now = new Date().toISOString()
  const claimed = db.update(openclawIntakes).set({ usedAt: now }).where(and(
    eq(openclawIntakes.tokenHash, hash), isNull(openclawIntakes.usedAt), isNull(openclawIntakes.revokedAt), gt(openclawIntakes.expiresAt, now),
  )).returning().get()
  if (!claimed) {
    const row = db.select().from(openclawIntakes).where(eq(openclawIntakes.tokenHash, hash)).get()
    if (!row) throw notFound('This link is not valid: ask for a new one with mctl_deploy_openclaw')
    throw new AppError(410, `This link is ${stateOf(row)}: ask for a new one with mctl_resume_openclaw_deploy`)
  }
  try {
    await secrets.merge(secretStoreKey(claimed.tenant, claimed.service), { [BOT_TOKEN]: value.trim() })
  }
  catch (err) {
    db.update(openclawIntakes).set({ usedAt: null }).where(eq(openclawIntakes.tokenHash, hash)).run()
    throw err
  }
  return { saved: true, team: claimed.tenant, service: claimed.service, next_step: `Ask your assistant to run mctl_resume_openclaw_deploy for ${claimed.tenant}/${claimed.service}` }
}
