import { gzipSync } from 'node:zlib'
import { expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'

interface Tool { name: string, category: string }

test('the landing page says what MCTL is and offers the three ways in', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('GitOps commit')
  const how = page.locator('#how-it-works')
  for (const step of ['AI client', 'MCP', 'Operation', 'Commit', 'Argo CD', 'Cluster']) {
    await expect(how.getByRole('heading', { name: step, exact: true })).toBeVisible()
  }
  const hero = page.locator('[data-slot="links"]').first()
  await expect(hero.getByRole('link', { name: 'Connect an AI client' })).toHaveAttribute('href', '/mcp')
  await expect(hero.getByRole('link', { name: 'Create a tenant' })).toHaveAttribute('href', '/tenants/new')
  await expect(hero.getByRole('link', { name: 'Read the docs' })).toHaveAttribute('href', '/docs')
  await expect(page.locator('#security')).toContainText('Destructive actions ask twice')
})

test('the tool categories and counts are the registry\'s', async ({ page, request }) => {
  const tools: Tool[] = await (await request.get('/api/v1/tools')).json()
  const counts = new Map<string, number>()
  for (const tool of tools) counts.set(tool.category, (counts.get(tool.category) ?? 0) + 1)

  await page.goto('/')
  await expect(page.locator('#tools h2')).toHaveText(`${tools.length} tools in ${counts.size} categories`)
  await expect(page.locator('#tools [data-category]')).toHaveCount(counts.size)
  for (const [category, count] of counts) {
    await expect(page.locator(`[data-category="${category}"]`)).toContainText(`${count} ${count === 1 ? 'tool' : 'tools'}`)
  }
})

// Issue 6: at most 120 KB of JavaScript (gzip) on first load. The landing page is served
// without the Vue app (route rule noScripts): only the colour switch's own small file.
const JS_TARGET_KB = 120

test('the landing page loads no more JavaScript than its target (gzip), and no Vue app', async ({ page }) => {
  const scripts: { url: string, size: Promise<number> }[] = []
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push({ url: response.url(), size: response.body().then(body => gzipSync(body).length) })
  })
  await page.goto('/', { waitUntil: 'networkidle' })
  const total = (await Promise.all(scripts.map(s => s.size))).reduce((a, b) => a + b, 0)
  test.info().annotations.push({ type: 'first-load JS (gzip)', description: `${(total / 1024).toFixed(1)} KB in ${scripts.length} files` })
  expect(total).toBeLessThanOrEqual(JS_TARGET_KB * 1024)
  expect(scripts.map(s => new URL(s.url).pathname)).toEqual(['/color-mode-switch.js'])
})

test('the landing page switches between light and dark without the app, and the choice holds on other pages', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/', { waitUntil: 'networkidle' })
  const html = page.locator('html')
  await expect(html).toHaveClass(/\blight\b/)
  await page.getByRole('button', { name: 'Switch to dark mode' }).click()
  await expect(html).toHaveClass(/\bdark\b/)
  await expect(html).not.toHaveClass(/\blight\b/)
  await page.reload()
  await expect(html).toHaveClass(/\bdark\b/)
  await page.getByRole('banner').getByRole('link', { name: 'Docs' }).first().click()
  await expect(page).toHaveURL(/\/docs$/)
  await expect(html).toHaveClass(/\bdark\b/)
  await expect(page.getByRole('banner').getByRole('button', { name: 'Switch to light mode' })).toBeVisible()
})

test('on a phone the landing page header shows the site links and the console', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 })
  await page.goto('/')
  const header = page.getByRole('banner')
  for (const name of ['Docs', 'API', 'Connect']) await expect(header.getByRole('link', { name, exact: true })).toBeVisible()
  await expect(header.getByRole('link', { name: 'Console' })).toHaveAttribute('href', '/console')
})

test('the landing page is accessible, fits 360 px and looks right in light and dark', async ({ page }, testInfo) => {
  test.setTimeout(180_000)
  await page.goto('/', { waitUntil: 'networkidle' })
  await expectAccessible(page)
  await screenshots(page, testInfo, 'landing')
  await expectFitsNarrowScreen(page)
  await screenshots(page, testInfo, 'landing-360')
})
