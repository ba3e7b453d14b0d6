import { randomBytes } from 'node:crypto'
import { and, desc, eq, lte } from 'drizzle-orm'
import type { Db } from '../db'
import { webSessions, type WebSession } from '../db/schema'
import { hashToken } from './tokens'

/** Last-seen times are written at most this often per session, not on every request. */
const SEEN_EVERY_MS = 60_000

export interface SessionClient { userAgent: string, ip: string }

/**
 * Records a new browser session of `userId`; the answer is the session's secret id, kept
 * only in the sealed cookie (the row holds its SHA-256). Expired rows are dropped here too.
 */
export function startWebSession(db: Db, userId: string, client: SessionClient, maxAgeSeconds: number, now = new Date()): string {
  const secret = randomBytes(32).toString('base64url')
  db.transaction((tx) => {
    tx.delete(webSessions).where(lte(webSessions.expiresAt, now.toISOString())).run()
    tx.insert(webSessions).values({
      id: hashToken(secret),
      userId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000).toISOString(),
      userAgent: client.userAgent.slice(0, 300),
      ip: client.ip,
    }).run()
  })
  return secret
}

/** The live session a cookie's secret id stands for (a primary-key read), or undefined. */
export function activeWebSession(db: Db, secret: string | undefined, now = new Date()): WebSession | undefined {
  if (!secret) return undefined
  const row = db.select().from(webSessions).where(eq(webSessions.id, hashToken(secret))).get()
  if (!row || row.expiresAt <= now.toISOString()) return undefined
  if (now.getTime() - Date.parse(row.lastSeenAt) >= SEEN_EVERY_MS)
    db.update(webSessions).set({ lastSeenAt: now.toISOString() }).where(eq(webSessions.id, row.id)).run()
  return row
}

export function endWebSession(db: Db, secret: string | undefined) {
  if (secret) db.delete(webSessions).where(eq(webSessions.id, hashToken(secret))).run()
}

/** Ends every browser session of `userId` (their account was deactivated). */
export function endWebSessionsOf(db: Db, userId: string) {
  db.delete(webSessions).where(eq(webSessions.userId, userId)).run()
}

/** A person's live sessions as the tokens page shows them; `current` is the asking one. */
export function listWebSessions(db: Db, userId: string, currentSecret: string | undefined, now = new Date()) {
  const current = currentSecret ? hashToken(currentSecret) : ''
  return db.select().from(webSessions).where(eq(webSessions.userId, userId)).orderBy(desc(webSessions.lastSeenAt)).all()
    .filter(s => s.expiresAt > now.toISOString())
    .map(({ userId: _userId, ...s }) => ({ ...s, current: s.id === current }))
}

/** Ends one of `userId`'s own sessions by its listed id; false when there is no such session. */
export function revokeWebSession(db: Db, userId: string, id: string): boolean {
  return db.delete(webSessions).where(and(eq(webSessions.id, id), eq(webSessions.userId, userId))).run().changes > 0
}
