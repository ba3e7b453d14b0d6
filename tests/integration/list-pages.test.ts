import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

let server: TestServer
let admin: McpSession, bob: McpSession

// Tenants whose names sort differently by code point and by locale ("a" < "a-b" < "a0").
const TENANTS = ['a', 'a-b', 'a0', 'zeta']
const SERVICES = ['api', 'web', 'worker-2', 'worker']

beforeAll(async () => {
  server = await startServer()
  admin = await connect(server.url, ADMIN_TOKEN)
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  // A hand-made commit writes the specs: the index must pick them up like MCTL's own.
  const work = join(await tempDir(), 'clone')
  git(server.dataDir, 'clone', '-q', join(server.dataDir, 'gitops'), work)
  const { mkdirSync, writeFileSync } = await import('node:fs')
  for (const t of TENANTS) {
    mkdirSync(join(work, 'tenants', t), { recursive: true })
    writeFileSync(join(work, 'tenants', t, 'tenant.yaml'), `displayName: ${t}\nmembers: [{userId: ${t === 'zeta' ? 'bob' : 'admin'}, role: owner}]\nquotas: {cpu: "4", memory: 8Gi, pods: 50}\n`)
    for (const s of SERVICES) {
      mkdirSync(join(work, 'tenants', t, 'services', s), { recursive: true })
      writeFileSync(join(work, 'tenants', t, 'services', s, 'service.yaml'), `image: {repository: ghcr.io/acme/${s}, tag: "1"}\n`)
    }
  }
  git(work, '-c', 'user.name=Hand', '-c', 'user.email=hand@example.com', 'add', '.')
  git(work, '-c', 'user.name=Hand', '-c', 'user.email=hand@example.com', 'commit', '-qm', 'hand-made tenants')
  git(work, 'push', '-q', 'origin', 'HEAD:main')
  await eventually(async () => (await admin.call('mctl_list_services', { limit: 1 })).data.total === 16)
})
afterAll(async () => {
  await Promise.all([admin?.close(), bob?.close()])
  await server?.stop()
})

describe('mctl_list_services pages', () => {
  it('walks every service exactly once, in order, with cursors', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 10; page++) {
      const { data } = await admin.call('mctl_list_services', { limit: 3, ...(cursor ? { cursor } : {}) })
      expect(data.total).toBe(16)
      seen.push(...data.items.map((s: { team: string, name: string }) => `${s.team}/${s.name}`))
      cursor = data.next_cursor
      if (!cursor) break
    }
    const expected = [...TENANTS].sort().flatMap(t => [...SERVICES].sort().map(s => `${t}/${s}`))
    expect(seen).toEqual(expected)
  })

  it('pages only what the caller may see', async () => {
    const first = (await bob.call('mctl_list_services', { limit: 2 })).data
    expect(first).toMatchObject({ count: 2, total: 4, next_cursor: 'zeta/web' })
    const second = (await bob.call('mctl_list_services', { limit: 2, cursor: first.next_cursor })).data
    expect(second.items.map((s: { name: string }) => s.name)).toEqual(['worker', 'worker-2'])
    expect(second.next_cursor).toBeUndefined()
    expect((await bob.call('mctl_list_services', { team: 'a' })).data).toEqual({ items: [], count: 0, total: 0 })
  })
})
