import { and, eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { oauthStore, tokenRevocations } from '../../db/schema'
import type { OAuthClientConfig } from '../../settings'
import { listOAuthClients } from './clients'
import type { ConnectedClient } from '../../../shared/types/oauth'

/** Records a revoked access token until it would have expired anyway (`expiresAt`: epoch ms). */
export function revokeAccessToken(db: Db, jti: string, expiresAt: number) {
  db.insert(tokenRevocations).values({ jti, expiresAt }).onConflictDoNothing().run()
}

/**
 * Whether an access token (its `jti`, and `gid`: the grant it came from) is still good: not
 * revoked by itself, and its grant still standing (refresh-token revocation, refresh-token
 * reuse and "Revoke" on the tokens page delete the grant). The one check of every request,
 * two primary-key lookups, nothing cached: a revocation holds from the next request on.
 */
export function accessTokenStands(db: Db, jti: string, gid: string, now = Date.now()): boolean {
  const revoked = db.select({ jti: tokenRevocations.jti }).from(tokenRevocations).where(eq(tokenRevocations.jti, jti)).get()
  if (revoked) return false
  const grant = db.select({ expiresAt: oauthStore.expiresAt }).from(oauthStore)
    .where(and(eq(oauthStore.model, 'Grant'), eq(oauthStore.id, gid))).get()
  return grant !== undefined && (grant.expiresAt === null || grant.expiresAt > now)
}

export function purgeRevocations(db: Db, now = Date.now()) {
  return db.delete(tokenRevocations).where(lt(tokenRevocations.expiresAt, now)).run().changes
}

/** Notes when one of a grant's access tokens was last accepted ("last used" on the tokens page). */
export function touchGrant(db: Db, gid: string, now = Date.now()) {
  db.update(oauthStore).set({ usedAt: now }).where(and(eq(oauthStore.model, 'Grant'), eq(oauthStore.id, gid))).run()
}


/** The grants `userId` has given to OAuth clients that still stand, most recently used first. */
export function listConnectedClients(db: Db, userId: string, configured: OAuthClientConfig[], now = Date.now()): ConnectedClient[] {
  const names = new Map(listOAuthClients(db, configured).map(c => [c.clientId, c.name]))
  return db.select().from(oauthStore)
    .where(and(eq(oauthStore.model, 'Grant'), sql`json_extract(${oauthStore.payload}, '$.accountId') = ${userId}`)).all()
    .filter(row => row.expiresAt === null || row.expiresAt > now)
    .map(({ id, payload: p, usedAt }): ConnectedClient => {
      const clientId = String(p.clientId ?? '')
      const resources = (p.resources ?? {}) as Record<string, unknown>
      return {
        id,
        clientId,
        clientName: names.get(clientId) ?? clientId,
        scopes: Object.fromEntries(Object.entries(resources).map(([resource, scope]) => [resource, String(scope).split(' ').filter(Boolean)])),
        authorizedAt: typeof p.iat === 'number' ? new Date(p.iat * 1000).toISOString() : null,
        lastUsedAt: usedAt === null ? null : new Date(usedAt).toISOString(),
      }
    })
    .sort((a, b) => (b.lastUsedAt ?? b.authorizedAt ?? '').localeCompare(a.lastUsedAt ?? a.authorizedAt ?? ''))
}

/**
 * Ends one of `userId`'s grants: the grant and its refresh tokens and codes go, so its access
 * tokens are refused from the next request on. False when `userId` has no such grant.
 */
export function endGrant(db: Db, userId: string, grantId: string): boolean {
  return db.transaction((tx) => {
    const owned = tx.delete(oauthStore).where(and(eq(oauthStore.model, 'Grant'), eq(oauthStore.id, grantId),
      sql`json_extract(${oauthStore.payload}, '$.accountId') = ${userId}`)).run().changes > 0
    if (owned) tx.delete(oauthStore).where(eq(oauthStore.grantId, grantId)).run()
    return owned
  })
}
