import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/db'

const migrations = join(import.meta.dirname, '../../server/db/migrations')
const read = async (p: string) => { try { return readFileSync(join(migrations, p), 'utf8') } catch { return null } }
/** The migrations as they were before incidents had numbers. */
const before = async (p: string) => {
  if (p !== 'meta/_journal.json') return read(p)
  const journal = JSON.parse((await read(p))!) as { entries: { tag: string }[] }
  const at = journal.entries.findIndex(e => e.tag === '0012_incident_numbers')
  expect(at).toBeGreaterThan(0)
  return JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) })
}

describe('migration 0012_incident_numbers', () => {
  it('numbers the incidents that exist in the order they were created', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mctl-incnum-')), 'mctl.db')
    const old = await openDatabase(file, before)
    const insert = old.sqlite.prepare(`INSERT INTO incidents (id, fingerprint, alertname, severity, type, summary, labels, annotations, starts_at, first_seen_at, last_seen_at)
      VALUES (?, ?, 'A', 'warning', 'other', 's', '{}', '{}', ?, ?, ?)`)
    // Inserted out of order; two created in the same millisecond keep their insertion order.
    for (const [id, at] of [['c', '2026-11-03T00:00:00.000Z'], ['a', '2026-11-01T00:00:00.000Z'], ['b2', '2026-11-02T00:00:00.000Z'], ['b1', '2026-11-02T00:00:00.000Z']])
      insert.run(id, `fp-${id}`, at, at, at)
    old.close()

    const now = await openDatabase(file, read)
    try {
      expect(now.sqlite.prepare('SELECT id, number FROM incidents ORDER BY number').all())
        .toEqual([{ id: 'a', number: 1 }, { id: 'b2', number: 2 }, { id: 'b1', number: 3 }, { id: 'c', number: 4 }])
      expect(() => now.sqlite.prepare('UPDATE incidents SET number = 1 WHERE id = \'c\'').run()).toThrow(/UNIQUE/)
    }
    finally { now.close() }
  })
})
