import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../server/db'
import { operations } from '../../server/db/schema'
import { Engine } from '../../server/operations/engine'
import { defineOperation, type OperationDef, type StepServices } from '../../server/operations/types'

const migrations = join(import.meta.dirname, '../../server/db/migrations')
const read = async (p: string) => { try { return readFileSync(join(migrations, p), 'utf8') } catch { return null } }
const quiet = { info() {}, warn() {}, error() {} }
const requester = { id: 'alice', name: 'Alice', email: 'alice@example.com' }

describe('the engine: ordering and guarded submission', () => {
  let db: Db, engine: Engine
  const ran: string[] = []
  let release: () => void
  const gate = () => new Promise<void>((r) => { release = r })
  let firstGate: Promise<void>
  let started: () => void
  let firstStarted: Promise<void>

  beforeEach(async () => {
    ran.length = 0
    db = (await openDatabase(':memory:', read)).db
    const step = (name: string, fail = false) => defineOperation<{ n: string }>({
      name, description: name, riskLevel: 'low',
      steps: [{ name: 'run', async run({ params }) {
        if (name === 'first') {
          started()
          await firstGate
        }
        ran.push(`${name}:${params.n}`)
        if (fail) throw new Error('boom')
      } }],
    })
    const defs = new Map<string, OperationDef>([['first', step('first')], ['then', step('then')], ['broken', step('broken', true)]])
    engine = new Engine(db, defs, quiet, {} as StepServices, 4)
    firstGate = gate()
    firstStarted = new Promise<void>((r) => { started = r })
  })

  it('runs an operation only after the one it waits for succeeded', async () => {
    const first = engine.submit({ name: 'first', params: { n: '1' }, requester, client: 'test' })
    const then = engine.submit({ name: 'then', params: { n: '2' }, requester, client: 'test', after: first.id })
    expect(then.message).toBe(`then queued after ${first.id}`)
    await firstStarted // both were taken from the queue by now: "then" must still wait
    expect(engine.get(then.id)!.status).toBe('queued')
    release()
    expect((await engine.wait(then.id, 5000)).status).toBe('succeeded')
    expect(ran).toEqual(['first:1', 'then:2'])
  })

  it('fails, without running, an operation whose predecessor failed', async () => {
    release()
    const broken = engine.submit({ name: 'broken', params: { n: '1' }, requester, client: 'test' })
    const then = engine.submit({ name: 'then', params: { n: '2' }, requester, client: 'test', after: broken.id })
    const end = await engine.wait(then.id, 5000)
    expect(end).toMatchObject({ status: 'failed', error: `${broken.id} (broken) did not succeed, so then did not run` })
    expect(ran).toEqual(['broken:1'])
  })

  it('answers the operation a guard finds instead of submitting another', async () => {
    release()
    const guard = () => db.select().from(operations).get()
    const a = engine.submit({ name: 'then', params: { n: '1' }, requester, client: 'test' }, guard)
    const b = engine.submit({ name: 'then', params: { n: '2' }, requester, client: 'test' }, guard)
    expect(b.id).toBe(a.id)
    expect(db.select().from(operations).all()).toHaveLength(1)
  })

  it('tells a watcher of every stored change of its operation, and of no other, until it stops watching', async () => {
    const first = engine.submit({ name: 'first', params: { n: '1' }, requester, client: 'test' })
    const seen: string[] = []
    const stop = engine.watch(first.id, () => seen.push(`${engine.get(first.id)!.status}/${engine.steps(first.id)[0]!.status}`))
    const other = engine.submit({ name: 'then', params: { n: '2' }, requester, client: 'test' })
    await engine.wait(other.id, 5000)
    await firstStarted
    expect(seen).toEqual(['running/queued', 'running/running', 'running/running']) // status, step, its log line
    release()
    await engine.wait(first.id, 5000)
    expect(seen.at(-1)).toBe('succeeded/succeeded')
    stop()

    const late: string[] = []
    const next = engine.submit({ name: 'then', params: { n: '3' }, requester, client: 'test' })
    engine.watch(next.id, () => late.push('change'))() // stopped at once
    await engine.wait(next.id, 5000)
    expect(late).toEqual([])
  })
})
