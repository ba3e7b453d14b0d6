// Reads the embedded secret store of a test server the way MCTL does: the row of a key in
// SQLite, opened with the key file of the data directory (AES-256-GCM, the key name as AAD).
import { createDecipheriv } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** The values stored under `key`, or undefined when there is no such key. */
export function storedSecrets(dataDir: string, key: string): Record<string, string> | undefined {
  const db = new Database(join(dataDir, 'mctl.db'), { readonly: true })
  try {
    const row = db.prepare('select nonce, sealed from secrets where key = ?').get(key) as { nonce: Buffer, sealed: Buffer } | undefined
    if (!row) return undefined
    const secretKey = Buffer.from(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim(), 'base64')
    const decipher = createDecipheriv('aes-256-gcm', secretKey, row.nonce).setAAD(Buffer.from(key))
    decipher.setAuthTag(row.sealed.subarray(-16))
    return JSON.parse(Buffer.concat([decipher.update(row.sealed.subarray(0, -16)), decipher.final()]).toString())
  }
  finally { db.close() }
}
