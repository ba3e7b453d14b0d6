import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db'
import { personalTokens, users, type User } from '../db/schema'
import type { Scope } from './identity'

export const PAT_PREFIX = 'mctl_pat_'
const BOOTSTRAP_NAME = 'bootstrap'

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function generatePersonalToken() {
  return `${PAT_PREFIX}${randomBytes(32).toString('base64url')}`
}

export interface NewToken { name: string, scopes: Scope[], expiresAt?: string | null }

export function createPersonalToken(db: Db, userId: string, t: NewToken) {
  const token = generatePersonalToken()
  const row = db.insert(personalTokens).values({
    id: randomUUID(),
    userId,
    name: t.name,
    tokenHash: hashToken(token),
    scopes: t.scopes,
    expiresAt: t.expiresAt ?? null,
  }).returning().get()
  return { token, row }
}

export interface TokenOwner { user: User, scopes: Scope[], name: string, expiresAt: string | null }

/** A live personal token's owner and scopes, or null (unknown, revoked, expired, owner deactivated). */
export function findPersonalToken(db: Db, token: string, now = new Date()): TokenOwner | null {
  const hash = hashToken(token)
  const found = db.select().from(personalTokens).innerJoin(users, eq(users.id, personalTokens.userId))
    .where(and(eq(personalTokens.tokenHash, hash), isNull(personalTokens.revokedAt), isNull(users.deactivatedAt))).get()
  if (!found) return null
  // The lookup is by hash already; compare again in constant time out of caution.
  if (!timingSafeEqual(Buffer.from(found.personal_tokens.tokenHash), Buffer.from(hash))) return null
  if (found.personal_tokens.expiresAt && new Date(found.personal_tokens.expiresAt) <= now) return null
  return { user: found.users, scopes: found.personal_tokens.scopes as Scope[], name: found.personal_tokens.name, expiresAt: found.personal_tokens.expiresAt }
}

/** A person's tokens as the token page shows them: never the value or its hash. */
export function listPersonalTokens(db: Db, userId: string) {
  return db.select({
    id: personalTokens.id,
    name: personalTokens.name,
    scopes: personalTokens.scopes,
    createdAt: personalTokens.createdAt,
    expiresAt: personalTokens.expiresAt,
    lastUsedAt: personalTokens.lastUsedAt,
    revokedAt: personalTokens.revokedAt,
  }).from(personalTokens).where(eq(personalTokens.userId, userId)).orderBy(desc(personalTokens.createdAt), desc(personalTokens.id)).all()
}

/** Revokes one of `userId`'s own tokens; false when there is no such live token. */
export function revokePersonalToken(db: Db, userId: string, id: string): boolean {
  const done = db.update(personalTokens).set({ revokedAt: new Date().toISOString() })
    .where(and(eq(personalTokens.id, id), eq(personalTokens.userId, userId), isNull(personalTokens.revokedAt))).returning({ id: personalTokens.id }).get()
  return done !== undefined
}

export function touchPersonalToken(db: Db, token: string) {
  db.update(personalTokens).set({ lastUsedAt: new Date().toISOString() }).where(eq(personalTokens.tokenHash, hashToken(token))).run()
}

/**
 * NUXT_BOOTSTRAP_ADMIN_TOKEN, applied at every start: a token with exactly that value for the
 * admin user `admin`, for automation and first contact. The stored token follows the setting:
 * a changed value replaces the previous one, and an unset one ('') removes it, so a token
 * taken out of the configuration stops working at the next start.
 */
export function syncBootstrapAdmin(db: Db, token: string) {
  db.transaction((tx) => {
    const hash = token ? hashToken(token) : null
    const existing = tx.select().from(personalTokens)
      .where(and(eq(personalTokens.userId, 'admin'), eq(personalTokens.name, BOOTSTRAP_NAME))).all()
    for (const row of existing) {
      if (row.tokenHash !== hash) tx.delete(personalTokens).where(eq(personalTokens.id, row.id)).run()
    }
    if (!hash) return
    tx.insert(users).values({ id: 'admin', displayName: 'Administrator', provider: 'local', isAdmin: true })
      .onConflictDoUpdate({ target: users.id, set: { isAdmin: true } }).run()
    if (!existing.some(r => r.tokenHash === hash)) {
      tx.insert(personalTokens).values({ id: randomUUID(), userId: 'admin', name: BOOTSTRAP_NAME, tokenHash: hash, scopes: ['read', 'write'] }).run()
    }
  })
}

export const isBootstrapToken = (name: string) => name === BOOTSTRAP_NAME
