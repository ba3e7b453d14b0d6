// Admin → Users (issue 17 #13): pending invites listed and revoked, people deactivated and
// reactivated. A deactivated person cannot sign in, and their tokens and browser sessions
// stop working at once; "last seen" is recorded at every sign-in, a password one included.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser, webSession } from '../helpers/users'

const PASSWORD = 'correct horse battery staple'
let server: TestServer
let readOnlyAdmin: string
let member: string

async function call(method: string, path: string, opts: { token?: string, session?: { cookie: string, csrf?: string }, body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'origin': server.url }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  if (opts.session) headers.cookie = opts.session.cookie
  if (opts.session?.csrf) headers['x-csrf-token'] = opts.session.csrf
  const res = await fetch(`${server.url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, text }
}

const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: ADMIN_TOKEN, body })
const invite = async (login: string) => (await admin('POST', '/api/auth/invites', { login })).body as { url: string, expiresAt: string }
const login = (id: string) => call('POST', '/api/auth/login', { body: { login: id, password: PASSWORD } })
const userRow = async (id: string) => (await admin('GET', '/api/admin/users')).body.items.find((u: { id: string }) => u.id === id)

function sessionsOf(userId: string): number {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try { return (db.prepare('select count(*) as n from web_sessions where user_id = ?').get(userId) as { n: number }).n }
  finally { db.close() }
}

beforeAll(async () => {
  server = await startServer()
  readOnlyAdmin = addUser(server.dataDir, 'rita', { admin: true, scopes: ['read'] })
  member = addUser(server.dataDir, 'mona')
})
afterAll(async () => {
  await server?.stop()
})

describe('pending invites', () => {
  it('are listed for admins, without their links', async () => {
    const sent = await invite('ivy')
    const { status, body, text } = await admin('GET', '/api/admin/invites')
    expect(status).toBe(200)
    expect(body.items).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'ivy', isAdmin: false, createdBy: 'admin', expiresAt: sent.expiresAt })]))
    expect(text).not.toContain(new URL(sent.url).searchParams.get('token')!)
    expect((await call('GET', '/api/admin/invites', { token: member })).status).toBe(403)
    expect((await call('GET', '/api/admin/invites')).status).toBe(401)
  })

  it('leave the list once used', async () => {
    await webSession(server.url, ADMIN_TOKEN, 'uma')
    const { body } = await admin('GET', '/api/admin/invites')
    expect(body.items.map((i: { login: string }) => i.login)).not.toContain('uma')
  })

  it('can be revoked, and the link stops working', async () => {
    const sent = await invite('otto')
    const { id } = (await admin('GET', '/api/admin/invites')).body.items.find((i: { login: string }) => i.login === 'otto')
    // A read-only admin token and a member are refused, and the invite stays.
    const readOnly = await call('DELETE', `/api/admin/invites/${id}`, { token: readOnlyAdmin })
    expect(readOnly.status).toBe(403)
    expect(readOnly.body.error).toMatch(/write scope/)
    expect((await call('DELETE', `/api/admin/invites/${id}`, { token: member })).status).toBe(403)
    expect((await admin('GET', '/api/admin/invites')).body.items.map((i: { id: string }) => i.id)).toContain(id)

    expect((await admin('DELETE', `/api/admin/invites/${id}`)).status).toBe(204)
    expect((await admin('GET', '/api/admin/invites')).body.items.map((i: { id: string }) => i.id)).not.toContain(id)
    const setup = await call('POST', '/api/auth/setup', { body: { token: new URL(sent.url).searchParams.get('token'), login: 'otto', password: PASSWORD } })
    expect(setup.status).toBe(403)
    expect((await admin('DELETE', `/api/admin/invites/${id}`)).status).toBe(404)
  })

  it('need the CSRF token to be revoked from a browser session', async () => {
    await invite('pia')
    const { id } = (await admin('GET', '/api/admin/invites')).body.items.find((i: { login: string }) => i.login === 'pia')
    const ada = await webSession(server.url, ADMIN_TOKEN, 'ada', { admin: true })
    expect((await call('DELETE', `/api/admin/invites/${id}`, { session: { cookie: ada.cookie } })).status).toBe(403)
    expect((await call('DELETE', `/api/admin/invites/${id}`, { session: ada })).status).toBe(204)
  })
})

describe('last seen', () => {
  it('is recorded at a password sign-in', async () => {
    await webSession(server.url, ADMIN_TOKEN, 'lea')
    const first = (await userRow('lea')).lastSeenAt
    expect(first).toBeTruthy()
    expect((await login('lea')).status).toBe(200)
    expect(Date.parse((await userRow('lea')).lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(first))
  })
})

describe('deactivating a person', () => {
  it('refuses their sign-in, sessions and tokens until reactivated', async () => {
    const dora = await webSession(server.url, ADMIN_TOKEN, 'dora')
    const created = await call('POST', '/api/tokens', { session: dora, body: { name: 'laptop', scopes: ['read'] } })
    expect(created.status).toBe(201)
    const token = created.body.token as string
    expect((await call('GET', '/api/v1/whoami', { token })).status).toBe(200)
    expect((await call('GET', '/api/tokens', { session: dora })).status).toBe(200)

    const off = await admin('PATCH', '/api/admin/users/dora', { deactivated: true })
    expect(off.status).toBe(200)
    expect(off.body.deactivatedAt).toBeTruthy()
    expect((await call('GET', '/api/v1/whoami', { token })).status).toBe(401)
    expect((await call('GET', '/api/tokens', { session: dora })).status).toBe(401)
    expect(sessionsOf('dora')).toBe(0)
    const refused = await login('dora')
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatch(/deactivated/)
    expect(sessionsOf('dora')).toBe(0)
    expect((await userRow('dora')).deactivatedAt).toBe(off.body.deactivatedAt)
    // The login stays taken: nobody can be invited under it meanwhile.
    expect((await admin('POST', '/api/auth/invites', { login: 'dora' })).status).toBe(409)

    const on = await admin('PATCH', '/api/admin/users/dora', { deactivated: false })
    expect(on.status).toBe(200)
    expect(on.body.deactivatedAt).toBeNull()
    expect((await login('dora')).status).toBe(200)
    expect((await userRow('dora')).deactivatedAt).toBeNull()
  })

  it('is not for an admin\'s own account', async () => {
    const self = await admin('PATCH', '/api/admin/users/admin', { deactivated: true })
    expect(self.status).toBe(403)
    expect(self.body.error).toMatch(/your own account/)
    const ada = await webSession(server.url, ADMIN_TOKEN, 'adele', { admin: true })
    expect((await call('PATCH', '/api/admin/users/adele', { session: ada, body: { deactivated: true } })).status).toBe(403)
    expect((await userRow('adele')).deactivatedAt).toBeNull()
    expect((await userRow('admin')).deactivatedAt).toBeNull()
  })

  it('needs an admin with the write scope, the CSRF token in a browser, and a clear body', async () => {
    await webSession(server.url, ADMIN_TOKEN, 'nils')
    const readOnly = await call('PATCH', '/api/admin/users/nils', { token: readOnlyAdmin, body: { deactivated: true } })
    expect(readOnly.status).toBe(403)
    expect(readOnly.body.error).toMatch(/write scope/)
    expect((await call('PATCH', '/api/admin/users/nils', { token: member, body: { deactivated: true } })).status).toBe(403)
    const ada = await webSession(server.url, ADMIN_TOKEN, 'alma', { admin: true })
    expect((await call('PATCH', '/api/admin/users/nils', { session: { cookie: ada.cookie }, body: { deactivated: true } })).status).toBe(403)
    const bad = await admin('PATCH', '/api/admin/users/nils', { deactivated: 'yes' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/deactivated/)
    expect((await admin('PATCH', '/api/admin/users/nobody', { deactivated: true })).status).toBe(404)
    expect((await userRow('nils')).deactivatedAt).toBeNull()
    expect((await call('PATCH', '/api/admin/users/nils', { session: ada, body: { deactivated: true } })).status).toBe(200)
  })
})
