// The service catalog (issue 21) against the real server: every service of a person's tenants
// in one list, searched, filtered, sorted and paged by the API's cursor, and kept up to date
// while it is open (a service onboarded through the API appears without a reload). The e2e
// server has no cluster: every status is "Unknown", and the page says why.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { parse, stringify } from 'yaml'
import { handCommit } from '../helpers/git'
import { ADMIN_TOKEN } from '../helpers/server'
import { expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'
import { asAdmin, signIn } from './session'

const BASE = process.env.MCTL_E2E_URL!
const GITOPS = `${process.env.MCTL_E2E_DATA_DIR}/gitops`
const ALPHA = 'alpha-shop'
const BETA = 'beta-shop'
// 22 + 5 services: more than one page of 25.
const ALPHA_SERVICES = Array.from({ length: 22 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`)
const BETA_SERVICES: Record<string, 'web' | 'worker'> = { 'api': 'web', 'jobs': 'worker', 'queue': 'worker', 'shop-web': 'web', 'www': 'web' }

test.describe.configure({ timeout: 120_000 })

/** A person's edit of the GitOps repository, pushed to main (what an admin does by hand). */
function pushEdit(files: Record<string, (current: string) => string>, message: string) {
  handCommit(GITOPS, mkdtempSync(join(tmpdir(), 'mctl-e2e-catalog-')), files, message)
}

const serviceFile = (tenant: string, name: string, type: 'web' | 'worker') => ({
  [`tenants/${tenant}/services/${name}/service.yaml`]: () => `image: {repository: ghcr.io/acme/${name}, tag: "1.0.0"}\ncomponentType: ${type}\n`,
})

// Once per server: the tenants through the API, their services as one hand-made commit.
test.beforeAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: BASE })
  const existing = await request.get(`/api/v1/tenants/${BETA}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  if (existing.ok()) return request.dispose()
  for (const tenant of [ALPHA, BETA]) await asAdmin(request, 'POST', '/api/v1/tenants', { tenant_name: tenant, wait_seconds: 20 })
  pushEdit(Object.assign({}, ...ALPHA_SERVICES.map(s => serviceFile(ALPHA, s, 'web')), ...Object.entries(BETA_SERVICES).map(([s, type]) => serviceFile(BETA, s, type))), 'catalog services')
  await request.dispose()
})

/** Signs `page` in as a new owner of both tenants (membership is tenant.yaml, GITOPS.md). */
async function signInAsOwner(page: Page, name: string) {
  const login = await signIn(page, name)
  const owner = (yaml: string) => {
    const spec = parse(yaml)
    return stringify({ ...spec, members: [...spec.members ?? [], { userId: login, role: 'owner' }] })
  }
  pushEdit({ [`tenants/${ALPHA}/tenant.yaml`]: owner, [`tenants/${BETA}/tenant.yaml`]: owner }, `tenants: owner ${login}`)
  await expect.poll(async () => {
    const res = await page.request.get('/api/v1/services?limit=1')
    return res.ok() ? (await res.json()).total : 0
  }, { timeout: 15_000 }).toBeGreaterThanOrEqual(27)
  return login
}

const serviceLinks = (page: Page, tenant: string) => page.locator(`main a[href^="/console/tenants/${tenant}/services/"]`)

test('the catalog lists, searches, filters, sorts and pages services', async ({ page }, testInfo) => {
  await signInAsOwner(page, 'carla')
  await page.goto('/console')
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Services' }).first().click()
  await expect(page).toHaveURL(/\/console\/services$/)
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible()

  // No cluster: the statuses are Unknown, and the page says why.
  await expect(page.getByText('no cluster connected')).toBeVisible()
  await expect(page.getByText('Page 1 · 27 services')).toBeVisible()
  await expect(serviceLinks(page, ALPHA)).toHaveCount(22)
  await expect(serviceLinks(page, BETA)).toHaveCount(3)
  await expect(page.locator('main tbody').getByText('Unknown').first()).toBeVisible()

  // The next page comes from the API's cursor; the previous one is the first again.
  await page.getByRole('button', { name: 'Next' }).click()
  await expect(page.getByText('Page 2 · 27 services')).toBeVisible()
  await expect(serviceLinks(page, ALPHA)).toHaveCount(0)
  await expect(serviceLinks(page, BETA)).toHaveCount(2)
  await expect(page.getByRole('link', { name: 'www', exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled()
  await page.getByRole('button', { name: 'Previous' }).click()
  await expect(page.getByText('Page 1 · 27 services')).toBeVisible()

  // Sorted by service name, "api" of beta-shop comes first.
  await page.getByRole('button', { name: 'Sort by service name' }).click()
  await expect(serviceLinks(page, BETA).first()).toHaveText('api')
  await expect(page.locator('main tbody tr').first()).toContainText('api')
  await page.getByRole('button', { name: 'Sort by tenant' }).click()
  await expect(page.locator('main tbody tr').first()).toContainText('svc-01')

  // Search: by image or name, across tenants.
  await page.getByRole('searchbox', { name: 'Search' }).fill('ghcr.io/acme/queue')
  await expect(serviceLinks(page, BETA)).toHaveCount(1)
  await expect(serviceLinks(page, ALPHA)).toHaveCount(0)
  await page.getByRole('searchbox', { name: 'Search' }).fill('nothing-is-called-this')
  await expect(page.getByText('No services match these filters')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.getByText('Page 1 · 27 services')).toBeVisible()

  // Filters: tenant, then type.
  await page.getByRole('combobox', { name: 'Tenant' }).click()
  await page.getByRole('option', { name: BETA, exact: true }).click()
  await expect(serviceLinks(page, BETA)).toHaveCount(5)
  await expect(serviceLinks(page, ALPHA)).toHaveCount(0)
  await expect(page.getByText('5 services', { exact: true })).toBeVisible()
  await page.getByRole('combobox', { name: 'Type' }).click()
  await page.getByRole('option', { name: 'worker', exact: true }).click()
  await expect(serviceLinks(page, BETA)).toHaveCount(2)
  await page.getByRole('combobox', { name: 'Type' }).click()
  await page.getByRole('option', { name: 'Web and worker' }).click()
  await expect(serviceLinks(page, BETA)).toHaveCount(5)

  await expectAccessible(page)
  await screenshots(page, testInfo, 'services')
  await expectFitsNarrowScreen(page)
})

test('the catalog keeps itself up to date without a reload, and keeps its filters', async ({ page, playwright }) => {
  await signInAsOwner(page, 'dario')
  // Filters come from the address too: a shared link opens the same list.
  await page.goto(`/console/services?team=${BETA}&type=worker`)
  await expect(page.getByRole('combobox', { name: 'Tenant' })).toContainText(BETA)
  await expect(serviceLinks(page, BETA)).toHaveCount(2)
  await page.getByRole('combobox', { name: 'Type' }).click()
  await page.getByRole('option', { name: 'Web and worker' }).click()
  await expect(serviceLinks(page, BETA)).toHaveCount(5)
  await expect(page).toHaveURL(new RegExp(`/console/services\\?team=${BETA}$`))
  await page.getByRole('combobox', { name: 'Type' }).click()
  await page.getByRole('option', { name: 'worker', exact: true }).click()
  await expect(serviceLinks(page, BETA)).toHaveCount(2)

  // Live: a service onboarded through the API appears in place — same document, same filters.
  await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true })
  const admin = await playwright.request.newContext({ baseURL: BASE })
  await asAdmin(admin, 'POST', '/api/v1/services', { action: 'onboard', team_name: BETA, component_name: 'zeta', component_type: 'worker', image: 'ghcr.io/acme/zeta', image_tag: '1.0.0', wait_seconds: 20 })
  await admin.dispose()
  await expect(page.getByRole('link', { name: 'zeta', exact: true })).toBeVisible({ timeout: 20_000 })
  await expect(serviceLinks(page, BETA)).toHaveCount(3)
  await expect(serviceLinks(page, ALPHA)).toHaveCount(0)
  await expect(page.getByRole('combobox', { name: 'Tenant' })).toContainText(BETA)
  await expect(page.getByRole('combobox', { name: 'Type' })).toContainText('worker')
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)

  // The row leads to the service page, whose status is read again while it is open.
  await page.getByRole('link', { name: 'zeta', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${BETA}/zeta` })).toBeVisible()
  await expect(page.getByText('no cluster connected').first()).toBeVisible()
  await page.waitForRequest(r => r.url().endsWith(`/api/v1/services/${BETA}/zeta/status`), { timeout: 15_000 })
  // Back on the catalog, the filter is still there (it lives in the address).
  await page.goBack()
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible()
  await expect(page).toHaveURL(new RegExp(`/console/services\\?team=${BETA}&type=worker$`))
  await expect(page.getByRole('combobox', { name: 'Tenant' })).toContainText(BETA)
  await expect(serviceLinks(page, BETA)).toHaveCount(3)

  // The tenant page shows each service's health and sync, and reads them again while open.
  await page.goto(`/console/tenants/${BETA}`)
  await expect(page.getByRole('link', { name: 'zeta', exact: true })).toBeVisible()
  await page.waitForRequest(r => r.url().includes(`/api/v1/services?team=${BETA}`), { timeout: 15_000 })
  await expect(page.getByRole('main').getByText('Unknown').first()).toBeVisible()
})
