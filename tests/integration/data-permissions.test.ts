// The data directory holds the database (tokens, sessions, sealed secrets) and the keys: only
// the server's own user may read it, on a new install and on one made by an older version.
import { chmodSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServer, tempDir } from '../helpers/server'

const KEPT = ['mctl.db', 'mctl.db-wal', 'mctl.db-shm', 'session.key', 'secret.key', 'grants.key', 'oauth-signing-keys.json']

const mode = (path: string) => statSync(path).mode & 0o777

/** Each regular file directly in the data directory, with its permission bits. */
function fileModes(dir: string): Record<string, number> {
  return Object.fromEntries(readdirSync(dir, { withFileTypes: true }).filter(e => e.isFile()).map(e => [e.name, mode(join(dir, e.name))]))
}

/** The directory 0700; the database and key files (or, with `all`, every file in it) 0600. */
function expectOwnerOnly(dir: string, all = false) {
  expect(mode(dir).toString(8)).toBe('700')
  const files = fileModes(dir)
  expect(Object.keys(files)).toEqual(expect.arrayContaining(KEPT))
  for (const name of all ? Object.keys(files) : KEPT) expect(`${name} ${files[name]!.toString(8)}`).toBe(`${name} 600`)
}

describe('the data directory', () => {
  it('is created readable by its owner only, and so are the database and the keys', async () => {
    const dataDir = join(await tempDir(), 'data')
    const server = await startServer({ dataDir })
    try {
      expectOwnerOnly(dataDir)
    }
    finally { await server.stop() }
  })

  it('is tightened at start when an older version left it world-readable', async () => {
    const dataDir = join(await tempDir(), 'data')
    const server = await startServer({ dataDir })
    await server.stop()
    chmodSync(dataDir, 0o755)
    for (const name of Object.keys(fileModes(dataDir))) chmodSync(join(dataDir, name), 0o644)
    expect(mode(join(dataDir, 'mctl.db')).toString(8)).toBe('644')

    await server.start()
    try {
      expectOwnerOnly(dataDir, true)
    }
    finally { await server.stop() }
  })
})
