// Signing a browser in as a fresh local user: an admin invite (the bootstrap token), then the
// setup link redeemed through the page's own request context, so the page holds the session.
import { randomBytes } from 'node:crypto'
import type { APIRequestContext, Page } from '@playwright/test'
import { expect } from './fixtures'
import { ADMIN_TOKEN } from '../helpers/server'

export const PASSWORD = 'correct horse battery staple'

/** A new local account (unique login from `name`), invited by the bootstrap admin. */
export async function invite(request: APIRequestContext, name: string, opts: { isAdmin?: boolean } = {}) {
  const login = `${name}-${randomBytes(3).toString('hex')}`
  const res = await request.post('/api/auth/invites', {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    data: { login, isAdmin: opts.isAdmin ?? false },
  })
  expect(res.status(), await res.text()).toBe(201)
  const { url } = await res.json() as { url: string }
  return { login, token: new URL(url).searchParams.get('token')! }
}

/** Signs `page` in as a new local user named after `name`; returns the login. */
export async function signIn(page: Page, name: string, opts: { isAdmin?: boolean } = {}) {
  const { login, token } = await invite(page.request, name, opts)
  const res = await page.request.post('/api/auth/setup', { data: { token, login, displayName: name, password: PASSWORD } })
  expect(res.status(), await res.text()).toBe(200)
  return login
}

/** Runs `body` as the admin through the REST API (test set-up that is not what the test is about). */
export async function asAdmin<T>(request: APIRequestContext, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const res = await request.fetch(path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, data })
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true)
  return await res.json() as T
}
