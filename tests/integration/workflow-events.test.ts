// GET /api/v1/workflows/{name}/events: an operation's progress as server-sent events, over real
// HTTP against the built server. A pre-receive hook on the GitOps remote holds the commit step
// until the test lets it go, so "while running" and "after" are observed, not guessed.
import { execFileSync } from 'node:child_process'
import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from '../helpers/git'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

interface Snapshot { status: string, workflowName: string, operationId: string, commit: string | null, error: string | null, message: string | null, steps: { name: string, status: string }[], log: { message: string }[] }
interface SseEvent { event: string, data: string }

let server: TestServer
let remote = ''
let owner = ''
let stranger = ''

beforeAll(async () => {
  remote = join(await tempDir(), 'gitops.git')
  git(await tempDir(), 'init', '-q', '--bare', '--initial-branch=main', remote)
  server = await startServer({ env: { NUXT_GITOPS_REMOTE_URL: remote } })
  owner = addUser(server.dataDir, 'olga')
  stranger = addUser(server.dataDir, 'mallory')
})
afterAll(() => server?.stop())

const events = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })

/** The events of a text/event-stream body, as they arrive; ends when the server ends the stream. */
async function* readEvents(res: Response): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const field = (name: string) => block.split('\n').filter(l => l.startsWith(`${name}:`)).map(l => l.slice(name.length + 1).trimStart()).join('\n')
      yield { event: field('event'), data: field('data') }
    }
  }
}

/** Holds every push to the remote until `release()`: the hook blocks reading a FIFO. */
function holdPushes() {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim()
  const gate = join(dir, 'gate')
  execFileSync('mkfifo', [gate])
  const hook = join(remote, 'hooks', 'pre-receive')
  writeFileSync(hook, `#!/bin/sh\ncat >/dev/null\nread _ < "${gate}"\n`)
  chmodSync(hook, 0o755)
  return {
    /** Lets the waiting push go (opening the FIFO waits for the hook to read it), then removes the hook. */
    async release() {
      await writeFile(gate, 'go\n')
      rmSync(hook)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function createTenant(name: string) {
  const res = await fetch(`${server.url}/api/v1/tenants`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${owner}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_name: name }),
  })
  expect(res.status, await res.clone().text()).toBe(202)
  return (await res.json()).operation_id as string
}

describe('the live progress of an operation', () => {
  let operationId = ''

  it('streams a snapshot at once, another at every change, and ends after the finished one', async () => {
    const held = holdPushes()
    operationId = await createTenant('streamed')
    const res = await events(`/api/v1/workflows/${operationId}/events`, owner)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)

    const seen: Snapshot[] = []
    let released: Promise<void> | undefined
    for await (const e of readEvents(res)) {
      expect(e.event).toBe('snapshot')
      const snapshot = JSON.parse(e.data) as Snapshot
      seen.push(snapshot)
      // The commit step is running and waits on the remote: what the page shows meanwhile.
      if (!released && snapshot.steps[0]!.status === 'running') {
        expect(snapshot).toMatchObject({ status: 'running', operationId, commit: null, error: null })
        expect(snapshot.log.map(l => l.message)).toContain('commit: started')
        released = held.release()
      }
    }
    expect(released).toBeDefined()
    await released
    const last = seen.at(-1)!
    expect(last).toMatchObject({ status: 'succeeded', operationId, message: 'Tenant "streamed" created', error: null })
    expect(last.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(last.steps).toEqual([expect.objectContaining({ name: 'commit', status: 'succeeded' }), expect.objectContaining({ name: 'sync', status: 'succeeded' })])
    expect(git(remote, 'log', '-1', '--format=%H', 'main')).toBe(last.commit)
    // Only changes are sent, and the status only moves forward.
    expect(new Set(seen.map(s => JSON.stringify(s))).size).toBe(seen.length)
    const order = ['queued', 'running', 'succeeded']
    expect(seen.map(s => order.indexOf(s.status))).toEqual(seen.map(s => order.indexOf(s.status)).sort())
  })

  it('sends a finished operation once and ends, by workflow name as by id', async () => {
    const { workflowName } = await (await fetch(`${server.url}/api/v1/workflows/${operationId}`, { headers: { authorization: `Bearer ${owner}` } })).json()
    for (const name of [operationId, workflowName]) {
      const all = []
      for await (const e of readEvents(await events(`/api/v1/workflows/${name}/events`, owner))) all.push(JSON.parse(e.data))
      expect(all).toHaveLength(1)
      expect(all[0]).toMatchObject({ status: 'succeeded', workflowName })
    }
  })

  it('applies the access rules of mctl_get_workflow_status before any event', async () => {
    const cases: [string, string | undefined, string, number, RegExp][] = [
      ['no token', undefined, operationId, 401, /Authentication required/],
      // A run of a tenant the caller may not see answers as one that does not exist.
      ['a non-member', stranger, operationId, 404, new RegExp(`^Workflow "${operationId}" not found$`)],
      ['an unknown workflow', owner, 'create-tenant-00000000', 404, /Workflow "create-tenant-00000000" not found/],
    ]
    for (const [who, token, name, status, message] of cases) {
      const res = await events(`/api/v1/workflows/${name}/events`, token)
      expect(res.status, who).toBe(status)
      expect(res.headers.get('content-type'), who).toMatch(/^application\/json/)
      expect((await res.json()).error, who).toMatch(message)
      if (status === 401) expect(res.headers.get('www-authenticate')).toContain('resource_metadata=')
    }
    const admin = await events(`/api/v1/workflows/${operationId}/events`, ADMIN_TOKEN)
    expect(admin.status).toBe(200)
    await admin.body!.cancel()
  })

  it('is in the OpenAPI document', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const get = doc.paths['/api/v1/workflows/{workflow_name}/events'].get
    expect(Object.keys(get.responses['200'].content)).toEqual(['text/event-stream'])
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['401', '403', '404']))
  })
})

describe('what the workspace form reads', () => {
  it('GET /api/v1/operations/create-tenant gives the quota defaults and the platform limits', async () => {
    const res = await fetch(`${server.url}/api/v1/operations/create-tenant`, { headers: { authorization: `Bearer ${owner}` } })
    const params = Object.fromEntries(((await res.json()).parameters as { name: string }[]).map(p => [p.name, p]))
    expect(params.quota_cpu_req).toMatchObject({ default: '2', maximum: '16' })
    expect(params.quota_memory_req).toMatchObject({ default: '4Gi', maximum: '64Gi' })
    expect(params.quota_pods).toMatchObject({ default: 20, minimum: 1, maximum: 200 })
  })
})
