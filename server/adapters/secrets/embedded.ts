import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { secrets } from '../../db/schema'
import type { SecretStore } from './types'

const KEY_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** The store's key: created once (mode 0600) on first start, then read. */
export function loadOrCreateKey(file: string): Buffer {
  if (!existsSync(file)) {
    try { writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }) }
    catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err } // another process was first
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== KEY_BYTES) throw new Error(`${file} must hold a base64 ${KEY_BYTES}-byte key (it holds ${key.length} bytes)`)
  return key
}

/**
 * The embedded secret store: AES-256-GCM in SQLite, for installations without Vault.
 * Every write seals the whole map of a key with a fresh nonce; the key name is the
 * additional authenticated data, so a row copied to another key does not open.
 */
export class EmbeddedStore implements SecretStore {
  readonly kind = 'embedded'
  constructor(private readonly db: Db, private readonly key: Buffer) {}

  async merge(key: string, values: Record<string, string>) {
    this.db.transaction(() => this.write(key, { ...this.read(key), ...values }))
  }

  async retain(key: string, names: string[]) {
    this.db.transaction(() => {
      const current = this.read(key)
      const keep = Object.fromEntries(Object.entries(current).filter(([k]) => names.includes(k)))
      if (Object.keys(keep).length === Object.keys(current).length) return
      if (Object.keys(keep).length) this.write(key, keep)
      else this.db.delete(secrets).where(eq(secrets.key, key)).run()
    })
  }

  async remove(key: string) {
    this.db.delete(secrets).where(eq(secrets.key, key)).run()
  }

  async removeUnder(prefix: string) {
    const under = `${prefix}/`
    this.db.delete(secrets).where(sql`substr(${secrets.key}, 1, ${under.length}) = ${under}`).run()
  }

  async value(key: string, name: string) {
    return this.read(key)[name] ?? null
  }

  async names(key: string) {
    return Object.keys(this.read(key)).sort()
  }

  private read(key: string): Record<string, string> {
    const row = this.db.select().from(secrets).where(eq(secrets.key, key)).get()
    if (!row) return {}
    const decipher = createDecipheriv('aes-256-gcm', this.key, row.nonce).setAAD(Buffer.from(key))
    decipher.setAuthTag(row.sealed.subarray(row.sealed.length - TAG_BYTES))
    try {
      const plain = Buffer.concat([decipher.update(row.sealed.subarray(0, row.sealed.length - TAG_BYTES)), decipher.final()])
      return JSON.parse(plain.toString('utf8'))
    }
    catch {
      throw new Error(`The embedded secret store cannot open ${key}: secret.key is not the key it was written with`)
    }
  }

  private write(key: string, values: Record<string, string>) {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(key))
    const sealed = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final(), cipher.getAuthTag()])
    const updatedAt = new Date().toISOString()
    this.db.insert(secrets).values({ key, nonce, sealed, updatedAt })
      .onConflictDoUpdate({ target: secrets.key, set: { nonce, sealed, updatedAt, version: sql`${secrets.version} + 1` } }).run()
  }
}
