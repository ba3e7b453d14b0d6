import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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

/**
 * The data directory holds the database (sessions, OAuth state, sealed secrets) and the keys:
 * readable by the server's own user only. Creates it 0700 and takes group and other access
 * away from it and the files directly in it, which older versions left world-readable. What
 * cannot be changed (a mounted volume owned by another user) is answered, not thrown.
 */
export function secureDataDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const unchanged: string[] = []
  const tighten = (path: string) => {
    const { mode } = statSync(path)
    if (!(mode & 0o077)) return
    try { chmodSync(path, mode & 0o7700) }
    catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err
      unchanged.push(path)
    }
  }
  tighten(dir)
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) tighten(join(dir, entry.name))
  }
  return unchanged
}
