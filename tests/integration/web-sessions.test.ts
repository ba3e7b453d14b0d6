// Browser sessions are kept on the server: signing out, revoking a signed-in browser from the
// tokens page, or the session's age ends them, even for a copy of the cookie taken before.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { webSession } from '../helpers/users'

const PASSWORD = 'correct horse battery staple'
let server: TestServer

interface Session { cookie: string, csrf: string }

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server?.stop()
})

function call(path: string, s: Session, init: { method?: string, body?: unknown, csrf?: boolean } = {}) {
  const method = init.method ?? 'GET'
  const headers: Record<string, string> = { cookie: s.cookie }
  if (method !== 'GET') Object.assign(headers, { 'origin': server.url, 'content-type': 'application/json' }, init.csrf === false ? {} : { 'x-csrf-token': s.csrf })
  return fetch(`${server.url}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
}

/** Signs `login` in with its password from another browser: a second session. */
async function signInAgain(login: string, userAgent: string): Promise<Session> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': server.url, 'user-agent': userAgent },
    body: JSON.stringify({ login, password: PASSWORD }),
  })
  expect(res.status).toBe(200)
  const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  const { csrf } = await (await fetch(`${server.url}/api/_auth/session`, { headers: { cookie } })).json() as { csrf: string }
  return { cookie, csrf }
}

function tokenNames(userId: string): string[] {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try {
    return (db.prepare('select name from personal_tokens where user_id = ?').all(userId) as { name: string }[]).map(r => r.name)
  }
  finally { db.close() }
}

describe('signing out', () => {
  it('ends the session for a copy of the cookie taken before', async () => {
    const session = await webSession(server.url, ADMIN_TOKEN, 'lena')
    const copy = { ...session }
    expect((await call('/api/tokens', session)).status).toBe(200)

    expect((await call('/api/auth/logout', session, { method: 'POST' })).status).toBe(204)

    const tokens = await call('/api/tokens', copy)
    expect(tokens.status).toBe(401)
    expect((await tokens.json()).error).toMatch(/Sign in/)
    const mint = await call('/api/tokens', copy, { method: 'POST', body: { name: 'after-logout', scopes: ['read', 'write'] } })
    expect(mint.status).toBe(401)
    expect(tokenNames('lena')).toEqual([])
    // The pages see the copy as signed out too.
    expect(await (await call('/api/_auth/session', copy)).json()).not.toHaveProperty('user')
  })
})

describe('signed-in browsers', () => {
  let first: Session
  let second: Session

  beforeAll(async () => {
    first = await webSession(server.url, ADMIN_TOKEN, 'maya')
    second = await signInAgain('maya', 'Second Browser/1.0')
  })

  it('are listed for their person, the current one marked', async () => {
    const res = await call('/api/auth/sessions', second)
    expect(res.status).toBe(200)
    const { items } = await res.json() as { items: { id: string, current: boolean, userAgent: string, ip: string, createdAt: string, lastSeenAt: string, expiresAt: string }[] }
    expect(items).toHaveLength(2)
    expect(items.find(s => s.current)).toMatchObject({ userAgent: 'Second Browser/1.0', ip: '127.0.0.1' })
    expect(items.filter(s => !s.current)).toHaveLength(1)
    for (const s of items) expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBe(7 * 86_400_000)
    // Another person's sessions are not among them.
    const other = await webSession(server.url, ADMIN_TOKEN, 'nils')
    expect((await (await call('/api/auth/sessions', other)).json()).items).toHaveLength(1)
  })

  it('need the CSRF token to be revoked', async () => {
    const { items } = await (await call('/api/auth/sessions', second)).json() as { items: { id: string, current: boolean }[] }
    const target = items.find(s => !s.current)!
    const res = await call(`/api/auth/sessions/${target.id}`, second, { method: 'DELETE', csrf: false })
    expect(res.status).toBe(403)
    expect((await call('/api/tokens', first)).status).toBe(200)
  })

  it('cannot revoke another person\'s session', async () => {
    const other = await webSession(server.url, ADMIN_TOKEN, 'otto')
    const { items } = await (await call('/api/auth/sessions', second)).json() as { items: { id: string, current: boolean }[] }
    const res = await call(`/api/auth/sessions/${items.find(s => !s.current)!.id}`, other, { method: 'DELETE' })
    expect(res.status).toBe(404)
    expect((await call('/api/tokens', first)).status).toBe(200)
  })

  it('stop working once revoked from the list', async () => {
    const { items } = await (await call('/api/auth/sessions', second)).json() as { items: { id: string, current: boolean }[] }
    const target = items.find(s => !s.current)!
    expect((await call(`/api/auth/sessions/${target.id}`, second, { method: 'DELETE' })).status).toBe(204)

    expect((await call('/api/tokens', first)).status).toBe(401)
    expect((await call('/api/tokens', first, { method: 'POST', body: { name: 'revoked', scopes: ['read'] } })).status).toBe(401)
    expect(tokenNames('maya')).toEqual([])
    expect((await call('/api/tokens', second)).status).toBe(200)
    const left = (await (await call('/api/auth/sessions', second)).json()).items
    expect(left).toEqual([expect.objectContaining({ current: true })])
    expect((await call(`/api/auth/sessions/${target.id}`, second, { method: 'DELETE' })).status).toBe(404)
  })
})

describe('an expired session', () => {
  it('no longer works, though its cookie still opens', async () => {
    const session = await webSession(server.url, ADMIN_TOKEN, 'ezra')
    expect((await call('/api/tokens', session)).status).toBe(200)
    const db = new Database(join(server.dataDir, 'mctl.db'))
    try { db.prepare('update web_sessions set expires_at = ? where user_id = ?').run(new Date(Date.now() - 1000).toISOString(), 'ezra') }
    finally { db.close() }
    expect((await call('/api/tokens', session)).status).toBe(401)
  })
})
