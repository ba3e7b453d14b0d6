import { and, eq, isNotNull, lt, type SQL } from 'drizzle-orm'
import type { Db } from '../../db'
import { oauthStore } from '../../db/schema'
import { hashToken } from '../tokens'

type Payload = Record<string, unknown> & { jti?: string, grantId?: string, uid?: string, userCode?: string, consumed?: number }

/**
 * Models whose id is not a secret, stored as is: grants (their id is inside every access
 * token), clients (the client_id), replay-detection entries, and device codes (off; their
 * lookup by user code must give the id back). Every other model's id is a bearer secret —
 * a refresh token, an authorization code, the session and interaction ids in cookies — and
 * only its SHA-256 is stored, with the id (`jti`) left out of the payload.
 */
const CLEAR_IDS = new Set(['Grant', 'Client', 'ReplayDetection', 'DeviceCode'])

/**
 * oidc-provider's storage contract (find, upsert, consume, destroy, revokeByGrantId,
 * findByUid, findByUserCode) over one SQLite table. Rows past their expiry read as absent;
 * `purgeExpired` removes them for good.
 */
export function sqliteAdapter(db: Db) {
  return class SqliteAdapter {
    private readonly hashed: boolean
    constructor(private readonly model: string) {
      this.hashed = !CLEAR_IDS.has(model)
    }

    /** The row id of a token value. */
    private key(id: string) {
      return this.hashed ? hashToken(id) : id
    }

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      const { jti: _jti, ...rest } = payload
      const row = {
        model: this.model,
        id: this.key(id),
        payload: this.hashed ? rest : payload,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null,
        consumedAt: null,
      }
      db.insert(oauthStore).values(row).onConflictDoUpdate({ target: [oauthStore.model, oauthStore.id], set: row }).run()
    }

    async find(id: string) {
      const payload = this.read(eq(oauthStore.id, this.key(id)))
      return payload && this.hashed ? { ...payload, jti: id } : payload
    }

    /** Sessions by uid: read only by oidc-provider (who is signed in), never saved back. */
    async findByUid(uid: string) {
      return this.read(eq(oauthStore.uid, uid))
    }

    async findByUserCode(userCode: string) {
      return this.read(eq(oauthStore.userCode, userCode))
    }

    async consume(id: string) {
      db.update(oauthStore).set({ consumedAt: Math.floor(Date.now() / 1000) })
        .where(and(eq(oauthStore.model, this.model), eq(oauthStore.id, this.key(id)))).run()
    }

    async destroy(id: string) {
      db.delete(oauthStore).where(and(eq(oauthStore.model, this.model), eq(oauthStore.id, this.key(id)))).run()
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
