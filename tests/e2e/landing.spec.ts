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
  await expect(hero.getByRole('link', { name: 'Create a workspace' })).toHaveAttribute('href', '/tenants/new')
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

// The target is 120 KB (issue 6); the build measures about 219 KB today: Nuxt's entry chunk
// (Vue, router, @nuxt/ui runtime, 147 KB), then the header's navigation, drawer and menus
// (reka-ui and floating-ui, 50 KB; the signed-in user menu added to the header brought them
// from 206 KB). Until that is trimmed, this ceiling keeps the landing page from growing
// further; lower it as the bundle shrinks.
const JS_CEILING_KB = 225

test('the landing page loads no more JavaScript than its ceiling (gzip)', async ({ page }) => {
  const scripts: Promise<number>[] = []
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.body().then(body => gzipSync(body).length))
  })
  await page.goto('/', { waitUntil: 'networkidle' })
  const total = (await Promise.all(scripts)).reduce((a, b) => a + b, 0)
  test.info().annotations.push({ type: 'first-load JS (gzip)', description: `${(total / 1024).toFixed(1)} KB in ${scripts.length} files` })
  expect(scripts.length).toBeGreaterThan(0)
  expect(total).toBeLessThanOrEqual(JS_CEILING_KB * 1024)
})

test('the landing page is accessible, fits 360 px and looks right in light and dark', async ({ page }, testInfo) => {
  test.setTimeout(180_000)
  await page.goto('/', { waitUntil: 'networkidle' })
  await expectAccessible(page)
  await screenshots(page, testInfo, 'landing')
  await expectFitsNarrowScreen(page)
  await screenshots(page, testInfo, 'landing-360')
})
