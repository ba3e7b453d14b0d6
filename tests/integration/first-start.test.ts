// A newcomer's first ten minutes, as the README tells them: start with only PORT set, open the
// line the start printed, create the first admin, land in the console — and every link the
// server hands out names the port it really listens on.
import type { Browser } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchProblems } from '../helpers/browser'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

const SETUP_LINE = /Open (http:\/\/localhost:(\d+)\/setup\?token=[\w-]{20,}) to create the first admin/g
const setupLinks = (server: TestServer) => [...server.output().matchAll(SETUP_LINE)].map(m => m[1]!)

let browser: Browser
beforeAll(async () => { browser = await launchChromium() })
afterAll(async () => { await browser?.close() })

describe('a first start with only PORT set', () => {
  let server: TestServer
  beforeAll(async () => {
    // What `PORT=… npm start` gives the server: no base URL, no host, no bootstrap token.
    server = await startServer({ env: { NUXT_PUBLIC_BASE_URL: '', HOST: '', NUXT_BOOTSTRAP_ADMIN_TOKEN: '' } })
  })
  afterAll(async () => { await server?.stop() })

  it('prints where it is and the setup line, both on the port it listens on', () => {
    const [link] = setupLinks(server)
    expect(link).toMatch(new RegExp(`^http://localhost:${server.port}/setup\\?token=`))
    expect(server.output()).toContain(`MCTL is ready at http://localhost:${server.port}`)
    expect(server.output()).toContain(`Listening on http://localhost:${server.port}\n`)
    // Node 20 is supported (README "Node.js 20"): no dependency's runtime warning at start.
    expect(server.output()).not.toMatch(/Unsupported runtime|EBADENGINE/)
  })

  it('follows the printed line to a first admin signed in to the console', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems = watchProblems(page)
    try {
      await page.goto(setupLinks(server)[0]!)
      await page.getByText('Create the first admin').waitFor()
      await page.getByLabel('Login', { exact: true }).fill('newcomer')
      await page.getByLabel('Display name').fill('New Comer')
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple')
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.waitForURL(/\/console$/)
      await page.getByTestId('user-menu').filter({ hasText: 'New Comer' }).waitFor()
      // The connect page hands out this server's own MCP URL.
      await page.goto(`http://localhost:${server.port}/mcp`)
      await page.getByText(`http://localhost:${server.port}/mcp`).first().waitFor()
      expect(problems).toEqual([])
    }
    finally { await context.close() }
  })

  it('answers an unknown page with a titled 404 and no router warning in the log', async () => {
    const res = await fetch(`${server.url}/no/such/page`, { headers: { accept: 'text/html' } })
    expect(res.status).toBe(404)
    expect(await res.text()).toMatch(/<title>Page not found · MCTL<\/title>/)
    expect(server.output()).not.toMatch(/Vue Router warn/)
  })

  it('names the real port in OAuth metadata and the API document', async () => {
    const metadata = await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`).then(r => r.json())
    expect(metadata.resource).toBe(`http://localhost:${server.port}/mcp`)
    const openapi = await fetch(`${server.url}/api/v1/openapi.json`).then(r => r.json())
    expect(openapi.servers[0].url).toContain(`http://localhost:${server.port}`)
  })
})

describe('a browser at another address than the base URL', () => {
  it('is told which setting to change', async () => {
    const server = await startServer()
    try {
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'origin': 'http://localhost:3400' },
        body: JSON.stringify({ login: 'x', password: 'y' }),
      })
      expect(res.status).toBe(403)
      expect((await res.json()).error).toBe(`Cross-site request refused (origin http://localhost:3400): MCTL's base URL is ${server.url}. Open MCTL at ${server.url}, or set NUXT_PUBLIC_BASE_URL=http://localhost:3400 (or add http://localhost:3400 to NUXT_ALLOWED_ORIGINS) and restart`)
    }
    finally { await server.stop() }
  })
})

describe('a start with a bootstrap token', () => {
  it('still prints the setup line, as the bootstrap admin has no password for the browser', async () => {
    const server = await startServer({ env: { NUXT_PUBLIC_BASE_URL: '', HOST: '' } })
    try {
      expect(setupLinks(server)).toHaveLength(1)
      const providers = await fetch(`${server.url}/api/auth/providers`).then(r => r.json())
      expect(providers.setupPending).toBe(true)
      const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(r => r.json())
      expect(me.serverUrl).toBe(`http://localhost:${server.port}/mcp`)
    }
    finally { await server.stop() }
  })
})
