import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, trailer } from '../helpers/git'
import { connect, finished } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { eventually } from '../helpers/users'

let remote: string
const servers: TestServer[] = []

beforeAll(async () => {
  remote = join(await tempDir('mctl-remote-'), 'gitops.git')
  git(await tempDir(), 'init', '-q', '--bare', '--initial-branch=main', remote)
  const env = { NUXT_GITOPS_REMOTE_URL: remote, NUXT_GITOPS_FETCH_SECONDS: '1' }
  servers.push(await startServer({ env }))
  servers.push(await startServer({ env }))
})
afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()))
})

describe('a remote GitOps repository', () => {
  it('is seeded once with the skeleton', () => {
    const log = commits(remote)
    expect(log).toHaveLength(1)
    expect(log[0]!.subject).toBe('platform: initial skeleton')
    expect(log[0]!.files).toContain('mctl.yaml')
  })

  it('loses nothing when two MCTL instances race on it', { timeout: 240_000 }, async () => {
    const clients = await Promise.all(servers.map(s => connect(s.url, ADMIN_TOKEN)))
    const names = servers.flatMap((_, i) => Array.from({ length: 8 }, (_, n) => `race-${i}-${n}`))
    const answers = await Promise.all(names.map((tenant_name, n) =>
      clients[n % 2]!.call('mctl_create_tenant', { tenant_name })))
    const ends = await Promise.all(answers.map((a, n) => finished(clients[n % 2]!, a.data.operation_id)))
    for (const end of ends) expect(end, end.error).toMatchObject({ status: 'succeeded' })

    const log = commits(remote)
    const created = log.filter(c => c.subject.startsWith('tenant: race-'))
    expect(created.map(c => c.subject.split(' ')[1]).sort()).toEqual([...names].sort())
    // One commit per operation, each carrying its operation id.
    expect(new Set(created.map(c => trailer(c.body, 'Mctl-Operation'))).size).toBe(names.length)
    expect(git(remote, 'ls-tree', '--name-only', 'main', 'tenants/').split('\n')).toHaveLength(names.length)
    expect(git(remote, 'fsck', '--no-progress', '--no-dangling')).toBe('')

    // Each instance sees the other's tenants after its periodic fetch.
    for (const client of clients) {
      await eventually(async () => (await client.call('mctl_list_tenants')).data.count === names.length)
      await client.close()
    }
  })
})
