import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/db'
import { operations } from '../../server/db/schema'

const migrations = join(import.meta.dirname, '../../server/db/migrations')
const read = async (p: string) => { try { return readFileSync(join(migrations, p), 'utf8') } catch { return null } }

describe('the database handle', () => {
  it('reuses a compiled statement for the same SQL, and hands it back in object mode', async () => {
    const { db, sqlite, close } = await openDatabase(':memory:', read)
    try {
      const insert = () => db.insert(operations).values({ id: 'op_1', workflowName: 'w-1', name: 'n', params: {}, requestedBy: 'u', requesterName: 'U', requesterEmail: 'u@example.com', client: 'test', engine: 'local' }).run()
      insert()
      const first = db.select({ id: operations.id }).from(operations).where(eq(operations.id, 'op_1'))
      const sql = first.toSQL().sql
      // drizzle reads rows of a field selection as arrays (raw mode) ...
      expect(first.get()).toEqual({ id: 'op_1' })
      const reused = sqlite.prepare(sql)
      expect(sqlite.prepare(sql)).toBe(reused)
      // ... and whoever gets the statement next still gets objects.
      expect(reused.get('op_1')).toEqual({ id: 'op_1' })
      expect(db.select({ id: operations.id }).from(operations).where(eq(operations.id, 'op_1')).get()).toEqual({ id: 'op_1' })
      // A write statement (no rows to read) is reused too.
      db.delete(operations).run()
      insert()
      expect(() => insert()).toThrow(/UNIQUE/)
      expect(db.select().from(operations).all()).toHaveLength(1)
    }
    finally { close() }
  })
})
