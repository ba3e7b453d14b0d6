// Test identities: users and personal tokens written straight into the server's SQLite file,
// for suites about tools rather than sign-in (those go through the real pages and fakes).
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export function addUser(dataDir: string, userId: string, opts: { scopes?: ('read' | 'write')[], admin?: boolean } = {}): string {
  const token = `mctl_pat_${randomBytes(32).toString('base64url')}`
  const db = new Database(join(dataDir, 'mctl.db'))
  try {
    db.prepare('insert or ignore into users (id, display_name, email, provider, is_admin) values (?, ?, ?, ?, ?)')
      .run(userId, userId[0]!.toUpperCase() + userId.slice(1), `${userId}@example.com`, 'local', opts.admin ? 1 : 0)
    db.prepare('insert into personal_tokens (id, user_id, name, token_hash, scopes) values (?, ?, ?, ?, ?)')
      .run(randomUUID(), userId, 'test', createHash('sha256').update(token).digest('hex'), JSON.stringify(opts.scopes ?? ['read', 'write']))
  }
  finally { db.close() }
  return token
}

/**
 * Polls `check` until it returns a value that is not undefined/false (readiness, not timing).
 * A check that throws (e.g. a pooled keep-alive connection the server just closed) counts as
 * "not yet"; the last error is reported if the deadline passes.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value as T
    }
    catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

/**
 * A browser session of a new local user, for Node-side requests: the bootstrap admin invites
 * `login`, the setup link is redeemed, and the session cookie plus its CSRF token come back.
 */
export async function webSession(url: string, adminToken: string, login: string, opts: { admin?: boolean } = {}) {
  const invite = await fetch(`${url}/api/auth/invites`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ login, isAdmin: opts.admin ?? false }),
  })
  if (invite.status !== 201) throw new Error(`invite answered ${invite.status}: ${await invite.text()}`)
  const token = new URL((await invite.json() as { url: string }).url).searchParams.get('token')!
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': url },
    body: JSON.stringify({ token, login, password: 'correct horse battery staple' }),
  })
  if (setup.status !== 200) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`)
  const cookie = setup.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  const { csrf } = await (await fetch(`${url}/api/_auth/session`, { headers: { cookie } })).json() as { csrf: string }
  return { cookie, csrf }
}
