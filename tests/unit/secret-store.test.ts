import { readFileSync, statSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedStore, loadOrCreateKey } from '../../server/adapters/secrets/embedded'
import { openDatabase, type DatabaseHandle } from '../../server/db'

const migrations = join(import.meta.dirname, '../../server/db/migrations')
const read = async (p: string) => { try { return readFileSync(join(migrations, p), 'utf8') } catch { return null } }

describe('the embedded secret store', () => {
  let handle: DatabaseHandle, store: EmbeddedStore, key: Buffer, dir: string
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mctl-secrets-'))
    handle = await openDatabase(join(dir, 'mctl.db'), read)
    key = loadOrCreateKey(join(dir, 'secret.key'))
    store = new EmbeddedStore(handle.db, key)
  })

  it('creates its key once, readable by the owner only', () => {
    const file = join(dir, 'secret.key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(loadOrCreateKey(file).equals(key)).toBe(true)
  })

  it('merges, retains and removes, and keeps values sealed', async () => {
    await store.merge('mctl/acme/api', { API_KEY: 'plain-api-key-value', DB_PASSWORD: 'plain-db-password' })
    await store.merge('mctl/acme/api', { API_KEY: 'rotated-api-key-value' })
    expect(await store.names('mctl/acme/api')).toEqual(['API_KEY', 'DB_PASSWORD'])
    expect(await store.value('mctl/acme/api', 'API_KEY')).toBe('rotated-api-key-value')
    expect(await store.value('mctl/acme/api', 'NOPE')).toBeNull()
    expect(await store.value('mctl/acme/none', 'API_KEY')).toBeNull()
    const row = handle.sqlite.prepare('select * from secrets').get() as { sealed: Buffer, version: number }
    expect(row.version).toBe(2)
    expect(row.sealed.toString('latin1')).not.toContain('rotated-api-key-value')
    handle.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(dir, 'mctl.db')).includes('plain-db-password')).toBe(false)

    await store.retain('mctl/acme/api', ['API_KEY'])
    expect(await store.names('mctl/acme/api')).toEqual(['API_KEY'])
    await store.retain('mctl/acme/api', [])
    expect(await store.names('mctl/acme/api')).toEqual([])
    await store.merge('mctl/acme/api', { X: 'y' })
    await store.remove('mctl/acme/api')
    expect(handle.sqlite.prepare('select count(*) as n from secrets').get()).toEqual({ n: 0 })
  })

  it('removes every key under a prefix, and nothing beside it', async () => {
    for (const key of ['mctl/reuse/api', 'mctl/reuse/api/database', 'mctl/reuse/bot', 'mctl/reuse2/api', 'mctl/reus/api'])
      await store.merge(key, { TOKEN: `value-of-${key}` })
    await store.removeUnder('mctl/reuse')
    const keys = handle.sqlite.prepare('select key from secrets order by key').all().map(r => (r as { key: string }).key)
    expect(keys).toEqual(['mctl/reus/api', 'mctl/reuse2/api'])
    await store.removeUnder('mctl/nothing-here')
  })

  it('refuses a row moved to another key, and a wrong key file', async () => {
    await store.merge('mctl/acme/api', { A: 'a' })
    handle.sqlite.prepare(`update secrets set key = 'mctl/evil/api'`).run()
    await expect(store.names('mctl/evil/api')).rejects.toThrow(/cannot open mctl\/evil\/api/)
    await store.merge('mctl/acme/web', { A: 'a' })
    const other = new EmbeddedStore(handle.db, Buffer.alloc(32, 7))
    await expect(other.names('mctl/acme/web')).rejects.toThrow(/secret.key is not the key it was written with/)
  })
})
