// The operating pages of the console against the real server: a tenant owner's service page
// (status without a cluster, history, the rollback plan and confirmation, logs, domains), the
// incident list and page (Alertmanager in, acknowledge, the agent's classification and a
// proposal to decide on), and the admin page for admins only.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { parse, stringify } from 'yaml'
import { INTAKE_TOKEN, postAlerts } from '../helpers/agent'
import { handCommit } from '../helpers/git'
import { expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'
import { ADMIN_TOKEN } from '../helpers/server'
import { asAdmin, invite, PASSWORD, signIn } from './session'

const TENANT = 'ops'
const SERVICE = 'web'
const BASE = process.env.MCTL_E2E_URL!
const GITOPS = `${process.env.MCTL_E2E_DATA_DIR}/gitops`

// Each test signs in, edits git and runs axe in both colour modes: more than 30 s on a shared machine.
test.describe.configure({ timeout: 90_000 })

interface Incident { id: string, stage: string }

/** A person's edit of the GitOps repository, pushed to main (what an admin does by hand). */
function pushEdit(files: Record<string, (current: string) => string>, message: string) {
  handCommit(GITOPS, mkdtempSync(join(tmpdir(), 'mctl-e2e-edit-')), files, message)
}

/** Signs `page` in as a new owner of the test tenant (membership is tenant.yaml, GITOPS.md). */
async function signInAsOwner(page: Page, name: string) {
  const login = await signIn(page, name)
  pushEdit({
    [`tenants/${TENANT}/tenant.yaml`]: (yaml) => {
      const spec = parse(yaml)
      return stringify({ ...spec, members: [...spec.members ?? [], { userId: login, role: 'owner' }] })
    },
  }, `tenant: ${TENANT} owner ${login}`)
  await expect.poll(async () => (await page.request.get(`/api/v1/tenants/${TENANT}`)).status(), { timeout: 15_000 }).toBe(200)
  return login
}

// Once per server: a worker that restarts after a failed test finds the service in place.
test.beforeAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: BASE })
  const existing = await request.get(`/api/v1/services/${TENANT}/${SERVICE}/config`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  if (existing.ok()) return request.dispose()
  await asAdmin(request, 'POST', '/api/v1/tenants', { tenant_name: TENANT, wait_seconds: 20 })
  const deploy = { team_name: TENANT, component_name: SERVICE, wait_seconds: 20 }
  await asAdmin(request, 'POST', '/api/v1/services', { ...deploy, action: 'onboard', image: 'ghcr.io/acme/web', image_tag: '1.0.0' })
  await asAdmin(request, 'POST', '/api/v1/services', { ...deploy, action: 'deploy', image_tag: '1.1.0' })
  await request.dispose()
})

test('a tenant owner reads the service and rolls it back through plan and confirmation', async ({ page }, testInfo) => {
  await signInAsOwner(page, 'olga')
  await page.goto(`/console/tenants/${TENANT}/services/${SERVICE}`)
  await expect(page.getByRole('heading', { name: `${TENANT}/${SERVICE}` })).toBeVisible()
  await expect(page.getByText('no cluster connected').first()).toBeVisible()
  await expect(page.getByText('ghcr.io/acme/web:1.1.0').first()).toBeVisible()

  // The plan comes first; nothing is committed before the confirmation.
  await page.getByRole('button', { name: /^Roll back to 1\.0\.0/ }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('rollback-plan')).toContainText('ghcr.io/acme/web:1.1.0 → ghcr.io/acme/web:1.0.0')
  await dialog.getByRole('button', { name: 'Confirm rollback to 1.0.0' }).click()
  const follow = dialog.getByRole('link', { name: /Follow operation rollback-service-/ })
  await expect(follow).toHaveAttribute('href', /^\/console\/operations\/op_/)
  // The plan stays what it was once the rollback lands.
  await expect(dialog.getByTestId('rollback-plan')).toContainText('ghcr.io/acme/web:1.1.0 → ghcr.io/acme/web:1.0.0')
  await dialog.getByRole('button', { name: 'Done' }).click()

  // The rollback is the newest deploy in git now, and it is what runs.
  const history = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Change' }) })
  const newest = history.locator('tbody tr').first()
  await expect(newest).toContainText('1.0.0')
  await expect(newest).toContainText('rollback')
  // Only the newest row of the running image is "current" (the deploy it returned to has the same image).
  await expect(newest).toContainText('current')
  await expect(history.getByText('current', { exact: true })).toHaveCount(1)
  await expect(page.getByText('ghcr.io/acme/web:1.0.0').first()).toBeVisible()

  // Following the logs asks for new lines again, without the person doing anything.
  await expect(page.getByText('Logs are limited')).toBeVisible()
  const again = page.waitForRequest(r => r.url().includes(`/services/${TENANT}/${SERVICE}/logs`), { timeout: 10_000 })
  await page.getByRole('switch', { name: 'Follow' }).click()
  await again
  await page.getByRole('switch', { name: 'Follow' }).click()

  // A custom domain is registered and shows the DNS record to create.
  await page.getByRole('textbox', { name: 'Domain' }).fill('shop.example.com')
  await page.getByRole('button', { name: 'Add domain' }).click()
  const registered = page.getByRole('row').filter({ hasText: 'shop.example.com' })
  await expect(registered).toContainText('pending')
  await expect(registered).toContainText(`shop.example.com CNAME ${TENANT}-${SERVICE}.apps.example.com`)

  await expectAccessible(page)
  await screenshots(page, testInfo, 'service')
  await expectFitsNarrowScreen(page)

  // Removing it shows the server's plan first, then runs the operation on confirmation.
  await registered.getByRole('button', { name: 'Remove shop.example.com' }).click()
  const removal = page.getByRole('dialog')
  await expect(removal.getByTestId('domain-remove-plan')).toContainText('deletes its registration')
  await removal.getByRole('button', { name: 'Confirm removing shop.example.com' }).click()
  await expect(removal.getByRole('link', { name: /Follow operation remove-custom-domain-/ })).toHaveAttribute('href', /^\/console\/operations\/op_/)
  await removal.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'shop.example.com' })).toHaveCount(0)
})

test('an incident from Alertmanager is acknowledged from the list and shows the agent\'s classification', async ({ page }, testInfo) => {
  // A summary as long as real ones are: the table used to grow past the screen with it.
  const summary = 'More than 5% of requests to ops/web answered 5xx over the last 10 minutes (checkout and payment paths)'
  const { created: [id] } = await postAlerts(BASE, [{ labels: { alertname: 'HighErrorRate', namespace: TENANT, service: SERVICE, severity: 'critical' }, summary, fingerprint: 'e2e-errors' }])
  await signInAsOwner(page, 'iris')
  await page.goto('/console/incidents')
  const row = page.getByRole('row').filter({ hasText: 'HighErrorRate' })
  await expect(row).toContainText('firing')
  await expectAccessible(page)
  await screenshots(page, testInfo, 'incidents')
  // On a common laptop screen the row's actions are on screen, not clipped by the table.
  await page.setViewportSize({ width: 1366, height: 768 })
  await expect(row.getByRole('button', { name: /^Acknowledge HighErrorRate/ })).toBeInViewport({ ratio: 1 })
  await page.setViewportSize({ width: 1280, height: 800 })

  const acknowledged = page.waitForResponse(r => r.url().endsWith(`/incidents/${id}/acknowledge`))
  await row.getByRole('button', { name: /^Acknowledge HighErrorRate/ }).click()
  expect((await acknowledged).status()).toBe(200)
  await expect(row).toContainText('acknowledged')
  await page.getByRole('combobox', { name: 'Status' }).click()
  await page.getByRole('option', { name: 'Acknowledged' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'HighErrorRate' })).toBeVisible()
  await expectFitsNarrowScreen(page)
  await page.setViewportSize({ width: 1280, height: 800 })

  // An alert that arrives while the list is open shows up without reloading the page.
  await page.getByRole('combobox', { name: 'Status' }).click()
  const listed = page.waitForResponse(r => r.url().includes('/api/v1/incidents?') && r.url().includes('status=active'))
  await page.getByRole('option', { name: 'Active (not resolved)' }).click()
  await listed // the list as it was before the alert: what follows can only come from refreshing
  await postAlerts(BASE, [{ labels: { alertname: 'DiskAlmostFull', namespace: TENANT, service: SERVICE, severity: 'warning' }, fingerprint: 'e2e-disk' }])
  await expect(page.getByRole('row').filter({ hasText: 'DiskAlmostFull' })).toContainText('firing', { timeout: 20_000 })

  await page.getByRole('link', { name: 'HighErrorRate' }).click()
  await expect(page).toHaveURL(`/console/incidents/${id}`)
  await expect(page.getByTestId('incident-status')).toHaveText('acknowledged')
  // The agent works in the background; the page shows what it has decided once it has.
  await expect(async () => {
    await page.reload()
    await expect(page.getByTestId('agent-classification')).toContainText('actionable', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('agent-classification')).toContainText('critical alert HighErrorRate')
  await expectAccessible(page)
  await screenshots(page, testInfo, 'incident')
  await expectFitsNarrowScreen(page)
})

test('a proposed fix offers approve and reject to the owner, and rejecting withdraws it', async ({ page }, testInfo) => {
  // A YAML skill of the platform repository proposes a change without a cluster to look at.
  pushEdit({
    'platform/skills/scale-out.yaml': () => stringify({ description: 'More replicas for a slow service', match: { alertname: 'SlowResponses', labels: { namespace: TENANT } }, change: { replicas: 3 }, confidence: 0.6 }),
  }, 'platform: scale-out skill')
  const { created: [id] } = await postAlerts(BASE, [{ labels: { alertname: 'SlowResponses', namespace: TENANT, service: SERVICE, severity: 'warning' }, fingerprint: 'e2e-slow' }])
  await expect.poll(async () => (await asAdmin<Incident>(page.request, 'GET', `/api/v1/incidents/${id}`)).stage, { timeout: 60_000 }).toBe('review')

  await signInAsOwner(page, 'otto')
  await page.goto(`/console/incidents/${id}`)
  await expect(page.getByRole('heading', { name: /^Proposed fix/ })).toBeVisible()
  await expect(page.getByText(`fix/${id}`, { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Approve and merge' })).toBeVisible()
  // The evidence reads as sections, not a JSON dump.
  for (const heading of ['Pod status', 'Last termination', 'Recent deploys', 'Log tail'])
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible()
  await expect(page.getByText('"collectedAt"')).toHaveCount(0)
  // The diff colours its added and removed lines (the file headers stay plain).
  const { proposal } = await asAdmin<{ proposal: { diff: string } }>(page.request, 'GET', `/api/v1/incidents/${id}`)
  const lines = proposal.diff.split('\n')
  const count = (sign: string) => lines.filter(l => l.startsWith(sign) && !l.startsWith(sign.repeat(3))).length
  expect(count('+')).toBeGreaterThan(0)
  const diff = page.getByLabel('Diff')
  await expect(diff.locator('[data-diff="added"]')).toHaveCount(count('+'))
  await expect(diff.locator('[data-diff="removed"]')).toHaveCount(count('-'))
  const style = (l: Locator) => l.evaluate(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor].join(' '))
  const plain = await style(diff)
  expect(await style(diff.locator('[data-diff="added"]').first())).not.toBe(plain)
  if (count('-')) expect(await style(diff.locator('[data-diff="removed"]').first())).not.toBe(plain)
  await screenshots(page, testInfo, 'incident-proposal')
  await page.getByRole('button', { name: 'Reject' }).click()
  await expect(page.getByText(/rejected by .+ via web/)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Approve and merge' })).toHaveCount(0)
})

test('the admin page lists tenants, users, clients and settings for an admin, without secrets', async ({ page, request }, testInfo) => {
  await signIn(page, 'ada', { isAdmin: true })
  // Someone signed in elsewhere (the request context), and an invite not used yet.
  const vic = await invite(request, 'vic')
  expect((await request.post('/api/auth/setup', { data: { token: vic.token, login: vic.login, password: PASSWORD } })).status()).toBe(200)
  const pending = await invite(request, 'quinn')
  await page.goto('/console/admin')
  await expect(page.getByRole('row').filter({ has: page.getByRole('cell', { name: TENANT, exact: true }) })).toBeVisible()
  await page.getByRole('tab', { name: 'Users' }).click()
  await expect(page.getByRole('cell', { name: /^ada-/ })).toBeVisible()

  // A pending invite is revoked from its table.
  const invited = page.getByRole('row').filter({ has: page.getByRole('cell', { name: pending.login, exact: true }) })
  await invited.getByRole('button', { name: `Revoke the invite for ${pending.login}` }).click()
  await expect(invited).toHaveCount(0)
  // A person is deactivated (their session elsewhere ends) and reactivated; the admin's own row has no button.
  const person = page.getByRole('row').filter({ has: page.getByRole('cell', { name: vic.login, exact: true }) })
  await expect(person).toContainText('active')
  await person.getByRole('button', { name: `Deactivate ${vic.login}` }).click()
  await expect(person).toContainText('deactivated')
  expect((await request.get('/api/tokens')).status()).toBe(401)
  await expect(page.getByRole('button', { name: /^Deactivate ada-/ })).toHaveCount(0)
  await screenshots(page, testInfo, 'admin-users')
  await person.getByRole('button', { name: `Reactivate ${vic.login}` }).click()
  await expect(person.getByRole('button', { name: `Deactivate ${vic.login}` })).toBeVisible()
  await page.getByRole('tab', { name: 'OAuth clients' }).click()
  await expect(page.getByText(/No OAuth clients yet|public \(PKCE\)/).first()).toBeVisible()
  await page.getByRole('tab', { name: 'Settings' }).click()
  await expect(page.getByText('NUXT_ALERTMANAGER_TOKEN')).toBeVisible()
  expect(await page.content()).not.toContain(INTAKE_TOKEN)
  await expectAccessible(page)
  await screenshots(page, testInfo, 'admin')
  await expectFitsNarrowScreen(page)
})

test.describe('inviting', () => {
  // The taken login is refused by the server with 409, which the form shows.
  test.use({ expectedFailures: { url: /\/api\/auth\/invites$/, statuses: [409] } })

  test('an admin invites a person from the admin page, and the link makes their account', async ({ page, request }) => {
    const admin = await signIn(page, 'ada', { isAdmin: true })
    await page.goto('/console/admin')
    await page.getByRole('tab', { name: 'Users' }).click()
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Invite' }) })
    await form.getByRole('button', { name: 'Invite' }).click()
    await expect(form.getByText('Give the login the person will sign in with')).toBeVisible()

    await form.getByLabel('Login').fill(admin)
    await form.getByRole('button', { name: 'Invite' }).click()
    await expect(page.getByText(`The login "${admin}" is taken`)).toBeVisible()

    const login = `zed-${Date.now().toString(36)}`
    await form.getByLabel('Login').fill(login)
    await form.getByLabel('Groups').fill('payments-devs, ops')
    await form.getByRole('button', { name: 'Invite' }).click()
    const link = await page.getByTestId('invite-link').textContent()
    expect(link).toMatch(/\/setup\?token=/)
    await expect(page.getByText(`Invitation for ${login}`)).toBeVisible()

    const token = new URL(link!).searchParams.get('token')
    const setup = await request.post('/api/auth/setup', { data: { token, login, displayName: 'Zed', password: PASSWORD } })
    expect(setup.status(), await setup.text()).toBe(200)
    expect(await (await request.get('/api/v1/whoami')).json()).toMatchObject({ userId: login, groups: ['ops', 'payments-devs'], isAdmin: false })
  })
})

test('the admin page refuses a person who is not an admin, and says why', async ({ page }) => {
  await signIn(page, 'nina')
  await page.goto('/console/admin')
  await expect(page.getByTestId('admin-refused')).toContainText('403 — platform admins only')
  await expect(page.getByRole('tab')).toHaveCount(0)
})
