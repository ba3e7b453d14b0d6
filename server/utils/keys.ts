import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A random key kept in the data directory (created 0600 on first use), so signed or
 * encrypted things stay valid across restarts without a setting to manage.
 */
export function dataKey(dataDir: string, name: string, bytes = 32): Buffer {
  const file = join(dataDir, name)
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  }
  catch {
    mkdirSync(dataDir, { recursive: true })
    const key = randomBytes(bytes)
    writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' })
    return key
  }
}
