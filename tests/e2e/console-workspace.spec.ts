// The console (issue 6): a person creates a workspace through the form, follows its operation
// live, opens the workspace; and manages personal tokens on the connect page.
import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { copyWith, expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'
import { asAdmin, PASSWORD, signIn } from './session'

// The name field asks GET /api/v1/tenant-names/{name}: someone else's tenant is taken, though it answers 404 elsewhere.
test.use({
  permissions: ['clipboard-read', 'clipboard-write'],
  expectedFailures: { url: /\/api\/v1\/tenants\/[^/?]+$/, statuses: [403, 404] },
})

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`

/** Fills the workspace form with a free name and submits it; returns the operation page's id. */
async function createWorkspace(page: Page, name: string) {
  await page.goto('/tenants/new')
  const nameField = page.getByRole('textbox', { name: /^Name\*?$/ })
  await nameField.fill(name)
  await expect(page.getByText(`"${name}" is available`)).toBeVisible()
  await page.getByRole('textbox', { name: 'Display name' }).fill(`Team ${name}`)
  await page.getByRole('button', { name: 'Create tenant' }).click()
  await page.waitForURL(/\/console\/operations\/op_[0-9a-f]{8}$/)
  return page.url().split('/').pop()!
}

test('a person creates a workspace, watches its operation succeed live and opens it', async ({ page, request }) => {
  test.setTimeout(90_000)
  const login = await signIn(page, 'creator')
  const taken = unique('taken')
  await asAdmin(request, 'POST', '/api/v1/tenants', { tenant_name: taken, wait_seconds: 20 })

  await page.goto('/tenants/new')
  const name = page.getByRole('textbox', { name: /^Name\*?$/ })
  for (const [value, message] of [
    ['kube-tools', 'Names starting with "kube-" are reserved'],
    ['mctl', '"mctl" is a reserved name'],
    ['Bad_Name', 'The name must be 1–31 characters'],
    [taken, `"${taken}" is taken: choose another name`],
  ]) {
    await name.fill(value!)
    await expect(page.getByText(message!)).toBeVisible()
  }
  await expect(page.getByRole('button', { name: 'Create tenant' })).toBeDisabled()

  const workspace = unique('shop')
  await name.fill(workspace)
  await expect(page.getByText(`"${workspace}" is available`)).toBeVisible()
  await page.getByRole('textbox', { name: 'Display name' }).fill('Shop team')
  await page.getByRole('textbox', { name: 'Contact email' }).fill('not-an-email')
  await page.getByRole('textbox', { name: 'CPU' }).fill('999')
  await page.getByRole('button', { name: 'Create tenant' }).click()
  await expect(page.getByText('Enter an email address such as team@example.com')).toBeVisible()
  await expect(page.getByText('CPU can be at most 16 (platform limit)')).toBeVisible()
  await page.getByRole('textbox', { name: 'Contact email' }).fill('shop@example.com')
  await page.getByRole('textbox', { name: 'CPU' }).fill('4')
  // The corrected fields' messages go away, so nothing moves under the next click.
  await expect(page.getByText('Enter an email address such as team@example.com')).toBeHidden()
  await expect(page.getByText('CPU can be at most 16 (platform limit)')).toBeHidden()
  await page.getByRole('switch', { name: 'Allow internet egress' }).check()

  // Marks this document: a reload on the way would lose the mark.
  await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true })
  await page.getByRole('button', { name: 'Create tenant' }).click()
  await page.waitForURL(/\/console\/operations\/op_[0-9a-f]{8}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Operation create-tenant')
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 30_000 })
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)
  await expect(page.locator('[data-fact="Commit"]')).toHaveText(/^[0-9a-f]{40}$/)
  await expect(page.locator('[data-step="commit"]')).toContainText('succeeded')
  await expect(page.getByText(`Tenant "${workspace}" created`).first()).toBeVisible()

  await page.getByRole('link', { name: `Open ${workspace}` }).click()
  await page.waitForURL(`**/console/tenants/${workspace}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shop team')
  await expect(page.getByText(login)).toBeVisible()
  await expect(page.getByText('internet egress allowed')).toBeVisible()
  await expect(page.locator('[data-quota="CPU"]')).toContainText('quota 4')
  await expect(page.getByText('No services yet.')).toBeVisible()

  // The console home lists it, and the operation that made it.
  await page.getByRole('link', { name: 'Overview' }).first().click()
  await expect(page.getByText('Shop team')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Shop team' })).toHaveAttribute('href', `/console/tenants/${workspace}`)
  await expect(page.getByRole('link', { name: /create-tenant/ }).first()).toBeVisible()
})

test('sign-in lands on the console home, which says how to start', async ({ page }) => {
  const login = await signIn(page, 'newcomer')
  await page.context().clearCookies()
  await page.goto('/login')
  await page.getByRole('textbox', { name: /^Login/ }).fill(login)
  await page.getByRole('textbox', { name: /^Password/ }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(/\/console$/)
  await expect(page.getByText('You are not in any tenant yet.')).toBeVisible()
  await expect(page.getByText('No operations yet.')).toBeVisible()
  await expect(page.getByText('No active incidents.')).toBeVisible()
  await page.getByRole('main').getByRole('link', { name: 'Create a tenant' }).click()
  await page.waitForURL(/\/tenants\/new$/)
})

test('signed-out visitors of the form go to /login and come back', async ({ page }) => {
  await page.goto('/tenants/new')
  await page.waitForURL(/\/login\?redirect=(%2F|\/)tenants(%2F|\/)new$/)
})

/**
 * Opens a page in light mode: the checks after it start in light and switch to dark, and a
 * page that opens already dark may not have its colour-mode listener yet when asked to switch.
 */
async function visit(page: Page, path: string) {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(path, { waitUntil: 'networkidle' })
}

test('the console pages are accessible, fit 360 px and look right in light and dark', async ({ page }, testInfo) => {
  test.setTimeout(150_000)
  await signIn(page, 'auditor')
  await visit(page, '/console')
  await expectAccessible(page)
  await screenshots(page, testInfo, 'console-home-empty')
  await expectFitsNarrowScreen(page)
  await page.setViewportSize({ width: 1280, height: 720 })

  await visit(page, '/tenants/new')
  await expectAccessible(page)
  await screenshots(page, testInfo, 'workspace-form')
  await expectFitsNarrowScreen(page)
  await page.setViewportSize({ width: 1280, height: 720 })

  const workspace = unique('audit')
  const id = await createWorkspace(page, workspace)
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded', { timeout: 30_000 })
  await expectAccessible(page)
  await screenshots(page, testInfo, 'operation')
  await expectFitsNarrowScreen(page)
  await page.setViewportSize({ width: 1280, height: 720 })

  await visit(page, `/console/tenants/${workspace}`)
  await expectAccessible(page)
  await screenshots(page, testInfo, 'tenant')
  await expectFitsNarrowScreen(page)
  await page.setViewportSize({ width: 1280, height: 720 })

  await visit(page, '/console')
  await expect(page.getByText(`Team ${workspace}`)).toBeVisible()
  await expect(page.getByRole('link', { name: `Team ${workspace}` })).toHaveAttribute('href', `/console/tenants/${workspace}`)
  await expect(page.locator(`a[href="/console/operations/${id}"]`)).toBeVisible()
  await expectAccessible(page)
  await screenshots(page, testInfo, 'console-home')
  await expectFitsNarrowScreen(page)
})

test('on /mcp a signed-in person copies a snippet, creates a token (shown once, masked) and revokes it', async ({ page, request, baseURL }) => {
  await signIn(page, 'connector')
  await page.goto('/mcp')
  await page.getByRole('tab', { name: 'Claude Code' }).click()
  await copyWith(page, page.locator('[data-client="claude-code"]').getByRole('button', { name: 'Copy code to clipboard' }),
    text => expect(text).toContain(`claude mcp add --transport http mctl ${baseURL}/mcp`))

  // Unnamed first: the message says what is missing, and goes once the name is there.
  await page.getByRole('button', { name: 'Create token' }).click()
  await expect(page.getByText('Name the token')).toBeVisible()
  await page.getByRole('textbox', { name: 'Name' }).fill('laptop')
  await page.getByRole('button', { name: 'Create token' }).click()
  const shown = page.getByTestId('new-token')
  await expect(shown).toHaveText(/^mctl_pat_[\w-]{4}•+$/, { timeout: 15_000 })
  const token = await copyWith(page, page.getByRole('button', { name: /^(Copy token|Copied)$/ }), text => expect(text).toMatch(/^mctl_pat_[\w-]{40,}$/))
  await page.getByRole('button', { name: 'Show' }).click()
  await expect(shown).toHaveText(token)
  const whoami = () => request.get('/api/v1/whoami', { headers: { authorization: `Bearer ${token}` } })
  expect((await whoami()).status()).toBe(200)

  await page.getByRole('button', { name: 'Revoke laptop' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'laptop' })).toContainText('revoked')
  expect((await whoami()).status()).toBe(401)

  // Shown once: after a reload only the row is left.
  await page.reload()
  await expect(page.getByRole('row').filter({ hasText: 'laptop' })).toBeVisible()
  await expect(shown).toHaveCount(0)
})
