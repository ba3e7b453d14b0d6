import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, trailer } from '../helpers/git'
import { connect, finished } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { eventually } from '../helpers/users'

let server: TestServer
beforeAll(async () => { server = await startServer() })
afterAll(async () => { await server?.stop() })

// npm run test:stress (MCTL_STRESS=1) kills the server during 100 operations; they commit
// one at a time at a few per second on a loaded machine, so they get proportionally longer.
const STRESS = process.env.MCTL_STRESS === '1'
const COUNT = STRESS ? 100 : 40
const SETTLE_MS = STRESS ? 540_000 : 180_000

describe('a crash while operations run', () => {
  it('accounts for every accepted operation after a restart, without duplicate commits', { timeout: SETTLE_MS + 60_000 }, async () => {
    const post = (n: number) => fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: `crash-${n}` }),
    })
    const accepted = await Promise.all(Array.from({ length: COUNT }, (_, n) => post(n).then(r => r.json())))
    expect(accepted.every(a => a.status === 'queued' || a.status === 'running' || a.status === 'succeeded')).toBe(true)
    await server.kill() // SIGKILL: no shutdown hooks run

    await server.start()
    const admin = await connect(server.url, ADMIN_TOKEN)
    const runs = await eventually(async () => {
      const list = (await admin.call('mctl_list_workflows', { limit: 200 })).data.items as { operationId: string, status: string }[]
      return list.length === COUNT && list.every(r => r.status === 'succeeded' || r.status === 'failed') ? list : undefined
    }, SETTLE_MS)

    // Every operation ended; a failure carries its reason.
    for (const run of runs) {
      if (run.status === 'failed') {
        const status = (await admin.call('mctl_get_workflow_status', { workflow_name: run.operationId })).data
        expect(status.error).toBeTruthy()
      }
    }
    // The crash really interrupted work: some operations were resumed.
    const logs = await Promise.all(accepted.map(a => admin.call('mctl_get_workflow_status', { workflow_name: a.operation_id })))
    expect(logs.some(l => l.data.log.some((e: { message: string }) => /Resuming after a restart/.test(e.message)))).toBe(true)

    const repo = join(server.dataDir, 'gitops')
    const byOperation = new Map<string, number>()
    for (const c of commits(repo)) {
      const op = trailer(c.body, 'Mctl-Operation')!
      byOperation.set(op, (byOperation.get(op) ?? 0) + 1)
    }
    for (const a of accepted) {
      const run = runs.find(r => r.operationId === a.operation_id)!
      expect(byOperation.get(a.operation_id) ?? 0, a.operation_id).toBe(run.status === 'succeeded' ? 1 : 0)
    }
    expect(git(repo, 'fsck', '--no-progress', '--no-dangling')).toBe('')
    await admin.close()
  })
})

describe('a graceful shutdown (SIGTERM)', () => {
  it('exits cleanly and leaves unfinished operations to resume', { timeout: 240_000 }, async () => {
    const other = await startServer()
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, n) => fetch(`${other.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: `term-${n}` }),
    }).then(r => r.json())))
    await other.stop() // SIGTERM
    expect(await other.exited).toBe(0)
    expect(other.output()).not.toMatch(/"level":"error"/)

    await other.start()
    const admin = await connect(other.url, ADMIN_TOKEN)
    for (const a of accepted) expect((await finished(admin, a.operation_id)).status).toBe('succeeded')
    const created = commits(join(other.dataDir, 'gitops')).filter(c => c.subject.startsWith('tenant: term-'))
    expect(created).toHaveLength(20)
    await admin.close()
    await other.stop()
  })
})
