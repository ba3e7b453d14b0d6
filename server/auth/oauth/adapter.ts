import { and, eq, isNotNull, lt, type SQL } from 'drizzle-orm'
import type { Db } from '../../db'
import { oauthStore } from '../../db/schema'

type Payload = Record<string, unknown> & { grantId?: string, uid?: string, userCode?: string, consumed?: number }

/**
 * oidc-provider's storage contract (find, upsert, consume, destroy, revokeByGrantId,
 * findByUid, findByUserCode) over one SQLite table. Rows past their expiry read as absent;
 * `purgeExpired` removes them for good.
 */
export function sqliteAdapter(db: Db) {
  return class SqliteAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      const row = {
        model: this.model,
        id,
        payload,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null,
        consumedAt: null,
      }
      db.insert(oauthStore).values(row).onConflictDoUpdate({ target: [oauthStore.model, oauthStore.id], set: row }).run()
    }

    async find(id: string) {
      return this.read(eq(oauthStore.id, id))
    }

    async findByUid(uid: string) {
      return this.read(eq(oauthStore.uid, uid))
    }

    async findByUserCode(userCode: string) {
      return this.read(eq(oauthStore.userCode, userCode))
    }

    async consume(id: string) {
      db.update(oauthStore).set({ consumedAt: Math.floor(Date.now() / 1000) })
        .where(and(eq(oauthStore.model, this.model), eq(oauthStore.id, id))).run()
    }

    async destroy(id: string) {
      db.delete(oauthStore).where(and(eq(oauthStore.model, this.model), eq(oauthStore.id, id))).run()
    }

    /** Called for each token model when a grant is revoked (refresh reuse, revocation). */
    async revokeByGrantId(grantId: string) {
      db.delete(oauthStore).where(and(eq(oauthStore.model, this.model), eq(oauthStore.grantId, grantId))).run()
    }

    private read(where: SQL): Payload | undefined {
      const row = db.select().from(oauthStore).where(and(eq(oauthStore.model, this.model), where)).get()
      if (!row || (row.expiresAt !== null && row.expiresAt <= Date.now())) return undefined
      return row.consumedAt === null ? row.payload : { ...row.payload, consumed: row.consumedAt }
    }
  }
}

export function purgeExpired(db: Db) {
  return db.delete(oauthStore).where(and(isNotNull(oauthStore.expiresAt), lt(oauthStore.expiresAt, Date.now()))).run().changes
}

/** Whether a grant still stands: revoking a grant (or its family) deletes the row. */
export function grantExists(db: Db, grantId: string): boolean {
  const row = db.select({ expiresAt: oauthStore.expiresAt }).from(oauthStore)
    .where(and(eq(oauthStore.model, 'Grant'), eq(oauthStore.id, grantId))).get()
  return row !== undefined && (row.expiresAt === null || row.expiresAt > Date.now())
}
