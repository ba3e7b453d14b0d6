import { createHmac, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGitHubApp } from '../fakes/github-app'
import { commits, git, show, trailer } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { startServer, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// Previews of pull requests, end to end: GitHub (a loopback fake of the App API) sends signed
// pull_request events to the webhook; MCTL commits, updates and deletes the preview of the
// service built from the repository, and keeps one comment on the pull request up to date.
const SECRET = 'whsec-test-0123456789'
let github: Awaited<ReturnType<typeof startFakeGitHubApp>>
let server: TestServer
let repo: string
let alice: McpSession

const SHA1 = 'a'.repeat(7) + '1'.repeat(33)
const SHA2 = 'b'.repeat(7) + '2'.repeat(33)
const folder = 'tenants/shop/previews/api-pr42'
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

async function deliver(event: string, payload: unknown, opts: { delivery?: string, signature?: string | null } = {}) {
  const body = JSON.stringify(payload)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': opts.delivery ?? randomUUID() }
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? sign(body)
  const res = await fetch(`${server.url}/api/v1/github/webhook`, { method: 'POST', headers, body })
  return { status: res.status, body: await res.json() }
}
const pullRequest = (action: string, sha: string, repository = 'acme/api') =>
  ({ action, number: 42, pull_request: { head: { sha }, user: { login: 'octocat' }, html_url: `https://github.example/${repository}/pull/42` }, repository: { full_name: repository }, installation: { id: 77 } })

function sqlite<T>(query: string, ...args: unknown[]): T[] {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try { return db.prepare(query).all(...args) as T[] }
  finally { db.close() }
}
const operationCount = () => sqlite<{ n: number }>('select count(*) as n from operations')[0]!.n
/** Waits for the operations the webhook answered with to succeed. */
async function finished(answer: { body: { previews: { operation: string }[] } }) {
  for (const { operation } of answer.body.previews)
    await eventually(() => sqlite<{ status: string }>('select status from operations where id = ?', operation)[0]?.status === 'succeeded', 20_000)
}
const previewFiles = () => git(repo, 'ls-tree', '-r', '--name-only', 'main', 'tenants/shop/previews/')
const prComments = () => github.comments.get('acme/api#42') ?? []

beforeAll(async () => {
  github = await startFakeGitHubApp()
  github.installations.set(77, [{ full_name: 'acme/api', private: true, default_branch: 'main' }, { full_name: 'acme/docs', private: false, default_branch: 'main' }])
  server = await startServer({
    env: {
      KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '',
      NUXT_GITHUB_URL: 'https://github.example',
      NUXT_GITHUB_API_URL: github.url,
      NUXT_GITHUB_APP_ID: github.appId,
      NUXT_GITHUB_APP_PRIVATE_KEY: github.privateKeyPem.replace(/\n/g, '\\n'),
      NUXT_GITHUB_APP_SLUG: github.slug,
      NUXT_GITHUB_APP_WEBHOOK_SECRET: SECRET,
    },
  })
  repo = join(server.dataDir, 'gitops')
  alice = await connect(server.url, addUser(server.dataDir, 'alice'))
  for (const [tool, args] of [
    ['mctl_create_tenant', { tenant_name: 'shop' }],
    ['mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', dockerfile_repo: 'acme/api', git_tag: 'v1.0.0' }],
  ] as const) {
    const answer = await alice.call(tool, { ...args, wait_seconds: 20 })
    expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  }
  // The repository tools register acme/api (and acme/docs, which no service is built from) for "shop".
  const { install_url } = (await alice.call('mctl_grant_repo_access', { team: 'shop', repo: 'acme/api' })).data
  const back = await fetch(`${server.url}/api/v1/repos/callback?${new URLSearchParams({ installation_id: '77', state: new URL(install_url).searchParams.get('state')! })}`, { redirect: 'manual' })
  expect(back.status).toBe(302)
  expect((await alice.call('mctl_sync_repos', { team: 'shop' })).data.count).toBe(2)
})
afterAll(async () => {
  await alice?.close()
  await server?.stop()
  await github?.close()
})

describe('the GitHub webhook', () => {
  it('refuses a delivery without a valid signature, and changes nothing', async () => {
    const before = operationCount()
    const payload = pullRequest('opened', SHA1)
    expect(await deliver('pull_request', payload, { signature: null })).toEqual({ status: 401, body: { error: 'Invalid or missing X-Hub-Signature-256' } })
    expect((await deliver('pull_request', payload, { signature: sign(JSON.stringify(payload), 'another-secret') })).status).toBe(401)
    expect((await deliver('pull_request', payload, { signature: sign(`${JSON.stringify(payload)} `) })).status).toBe(401)
    expect(operationCount()).toBe(before)
    expect(previewFiles()).toBe('')
    expect(prComments()).toEqual([])
  })

  it('answers a ping and ignores repositories no tenant registered or no service is built from', async () => {
    expect(await deliver('ping', { zen: 'Keep it logically awesome.' })).toEqual({ status: 200, body: { status: 'ok', note: 'pong' } })
    const before = operationCount()
    const unknown = await deliver('pull_request', pullRequest('opened', SHA1, 'someone/else'))
    expect(unknown).toMatchObject({ status: 200, body: { status: 'ignored', note: expect.stringMatching(/someone\/else is not registered to a tenant/) } })
    const docs = await deliver('pull_request', pullRequest('opened', SHA1, 'acme/docs'))
    expect(docs).toMatchObject({ status: 200, body: { status: 'ignored', note: expect.stringMatching(/No service of "shop" is built from acme\/docs/) } })
    expect(operationCount()).toBe(before)
  })
})

describe('a pull request\'s preview', () => {
  let firstExpiry: string

  it('opening the pull request commits a preview of the service at the head\'s image and comments its URL', async () => {
    const delivery = randomUUID()
    const opened = await deliver('pull_request', pullRequest('opened', SHA1), { delivery })
    expect(opened, JSON.stringify(opened.body)).toMatchObject({ status: 200, body: { status: 'accepted', previews: [{ tenant: 'shop', service: 'api', preview: 'api-pr42', host: 'api-pr42.shop.preview.apps.example.com' }] } })
    await finished(opened)

    const spec = parse(show(repo, 'main', `${folder}/preview.yaml`))
    expect(spec).toMatchObject({ service: 'api', imageTag: 'pr-42-aaaaaaa', createdBy: 'github:octocat' })
    firstExpiry = spec.expiresAt
    expect(Date.parse(firstExpiry) - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    const c = commits(repo)[0]!
    expect(c.subject).toMatch(/^preview: shop\/api api-pr42 → pr-42-aaaaaaa/)
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['GitHub App for @octocat', 'github-app', 'github-webhook'])
    expect(show(repo, 'main', `${folder}/manifests/deployment.yaml`)).toContain('image: ghcr.io/acme/api:pr-42-aaaaaaa')
    // The local engine builds nothing: it says whose CI must push the tag.
    const [op] = sqlite<{ message: string }>('select message from operations where id = ?', opened.body.previews[0].operation)
    expect(op!.message).toMatch(/MCTL expects ghcr\.io\/acme\/api:pr-42-aaaaaaa to exist \(built by acme\/api's CI/)
    expect(sqlite('select user_id, client, tool, decision from audit_events where operation_id = ?', opened.body.previews[0].operation))
      .toEqual([{ user_id: 'github-app', client: 'github-webhook', tool: 'github-webhook', decision: 'allowed' }])

    expect(prComments()).toEqual([expect.objectContaining({ user: { login: 'mctl-platform[bot]' }, body: expect.stringContaining('https://api-pr42.shop.preview.apps.example.com') })])
    expect(prComments()[0]!.body).toContain('pr-42-aaaaaaa')

    // GitHub redelivers the same delivery: nothing happens again.
    const before = operationCount()
    expect(await deliver('pull_request', pullRequest('opened', SHA1), { delivery })).toMatchObject({ status: 200, body: { status: 'duplicate' } })
    expect(operationCount()).toBe(before)
    expect(prComments()).toHaveLength(1)
  })

  it('a push updates the same preview, renews its expiry and edits the same comment', async () => {
    const pushed = await deliver('pull_request', pullRequest('synchronize', SHA2))
    expect(pushed.body).toMatchObject({ status: 'accepted', previews: [{ preview: 'api-pr42' }] })
    await finished(pushed)
    const spec = parse(show(repo, 'main', `${folder}/preview.yaml`))
    expect(spec.imageTag).toBe('pr-42-bbbbbbb')
    expect(Date.parse(spec.expiresAt)).toBeGreaterThan(Date.parse(firstExpiry))
    expect(previewFiles().split('\n').filter(f => f.endsWith('preview.yaml'))).toEqual([`${folder}/preview.yaml`])
    expect(prComments()).toHaveLength(1)
    expect(prComments()[0]!.body).toContain('pr-42-bbbbbbb')
    expect(prComments()[0]!.body).not.toContain('pr-42-aaaaaaa')
  })

  it('closing the pull request deletes the preview; reopening and closing again does it again', async () => {
    const closed = await deliver('pull_request', pullRequest('closed', SHA2))
    expect(closed.body).toMatchObject({ status: 'accepted', previews: [{ preview: 'api-pr42' }] })
    await finished(closed)
    expect(previewFiles()).toBe('')
    expect(commits(repo)[0]!.subject).toBe('preview-delete: shop/api api-pr42 (pull request #42 closed)')
    expect(prComments()).toHaveLength(1)
    expect(prComments()[0]!.body).toMatch(/closed: its preview is deleted/)

    await finished(await deliver('pull_request', pullRequest('reopened', SHA2)))
    expect(previewFiles()).toContain(`${folder}/preview.yaml`)
    const again = await deliver('pull_request', pullRequest('closed', SHA2))
    expect(again.body.previews).toHaveLength(1)
    await finished(again)
    expect(previewFiles()).toBe('')
    expect(prComments()).toHaveLength(1)
  })
})
