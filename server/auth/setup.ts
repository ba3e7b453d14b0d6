import { randomBytes } from 'node:crypto'
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm'
import type { Db } from '../db'
import { setupTokens, type SetupToken, type User } from '../db/schema'
import { forbidden } from '../utils/errors'
import { hashToken } from './tokens'
import type { Directory } from './users'

const INVITE_DAYS = 7

const liveToken = (token: string) => and(
  eq(setupTokens.tokenHash, hashToken(token)),
  isNull(setupTokens.usedAt),
  or(isNull(setupTokens.expiresAt), gt(setupTokens.expiresAt, new Date().toISOString())),
)

/**
 * First start without an admin: a fresh one-time link to create the first admin, valid until
 * used. Only its hash is stored, so each start that still finds no admin issues a new link
 * (and the previous one stops working).
 */
export function issueFirstAdminLink(db: Db, baseUrl: string): string {
  const token = randomBytes(24).toString('base64url')
  db.transaction((tx) => {
    tx.delete(setupTokens).where(and(eq(setupTokens.kind, 'first-admin'), isNull(setupTokens.usedAt))).run()
    tx.insert(setupTokens).values({ tokenHash: hashToken(token), kind: 'first-admin', isAdmin: true, groups: [] }).run()
  })
  return `${baseUrl}/setup?token=${token}`
}

/** An admin invites a local user: a link valid for 7 days that lets them set their password. */
export function issueInvite(db: Db, baseUrl: string, invite: { login: string, isAdmin: boolean, groups: string[], createdBy: string }) {
  const token = randomBytes(24).toString('base64url')
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 24 * 3600_000).toISOString()
  db.insert(setupTokens).values({ tokenHash: hashToken(token), kind: 'invite', expiresAt, ...invite }).run()
  return { url: `${baseUrl}/setup?token=${token}`, expiresAt }
}

const pendingInvite = () => and(
  eq(setupTokens.kind, 'invite'),
  isNull(setupTokens.usedAt),
  gt(setupTokens.expiresAt, new Date().toISOString()),
)

/**
 * Invites not yet used and not expired, for the admin console. The link itself is never
 * stored; the id is its SHA-256, which does not give the link back.
 */
export function pendingInvites(db: Db) {
  return db.select({
    id: setupTokens.tokenHash,
    login: setupTokens.login,
    isAdmin: setupTokens.isAdmin,
    groups: setupTokens.groups,
    createdBy: setupTokens.createdBy,
    createdAt: setupTokens.createdAt,
    expiresAt: setupTokens.expiresAt,
  }).from(setupTokens).where(pendingInvite()).orderBy(desc(setupTokens.createdAt)).all()
}

/** Withdraws a pending invite so its link stops working; false when there is no such invite. */
export function revokeInvite(db: Db, id: string): boolean {
  return db.delete(setupTokens).where(and(eq(setupTokens.tokenHash, id), pendingInvite())).run().changes > 0
}

/** What a live setup link is for, or undefined when it is unknown, used or expired. */
export function peekSetupToken(db: Db, token: string): SetupToken | undefined {
  return db.select().from(setupTokens).where(liveToken(token)).get()
}

/** Spends a setup link and creates the local account it stands for, in one transaction. */
export function redeemSetupToken(db: Db, directory: Directory, token: string, account: { login: string, displayName: string, email: string, passwordHash: string }): User {
  return db.transaction((tx) => {
    const spent = tx.update(setupTokens).set({ usedAt: new Date().toISOString() }).where(liveToken(token)).returning().get()
    if (!spent) throw forbidden('This setup link is invalid, expired or already used; ask an admin for a new one')
    return directory.createLocal({ ...account, login: spent.login ?? account.login, isAdmin: spent.isAdmin, groups: spent.groups })
  })
}
