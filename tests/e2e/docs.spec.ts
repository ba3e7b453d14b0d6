import { copyWith, expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'

test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

/** The docs pages in sidebar order, as llms.txt lists them: `- [Title](/docs/path): …`. */
async function docsPages(request: import('@playwright/test').APIRequestContext) {
  const text = await (await request.get('/llms.txt')).text()
  return [...text.matchAll(/^- \[(.+?)\]\((\/docs[^)]*)\)/gm)].map(m => ({ title: m[1]!, path: m[2]! }))
}

test('every docs page renders with its title, navigation and table of contents', async ({ page, request }) => {
  test.setTimeout(300_000)
  const pages = await docsPages(request)
  expect(pages.length).toBeGreaterThanOrEqual(20)
  for (const { title, path } of pages) {
    await page.goto(path, { waitUntil: 'domcontentloaded' })
    await expect(page.getByRole('heading', { level: 1 }), path).toHaveText(title)
  }
  await page.goto('/docs/getting-started')
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Deploy your first app' }).first()).toBeVisible()
  // Desktop and mobile each have a table of contents; one of them is shown.
  await expect(page.getByText('On this page').filter({ visible: true }).first()).toBeVisible()
})

test('the tools reference lists every registered tool with its REST route', async ({ page, request }) => {
  const tools: { name: string, rest: { method: string, path: string } }[] = await (await request.get('/api/v1/tools')).json()
  await page.goto('/docs/tools')
  for (const tool of tools) {
    const card = page.locator('article').filter({ has: page.locator(`h3#${tool.name}`) })
    await expect(card, tool.name).toContainText(`${tool.rest.method} ${tool.rest.path}`)
  }
})

test('search finds a page and opens it', async ({ page }) => {
  await page.goto('/docs', { waitUntil: 'networkidle' })
  await page.getByRole('button', { name: /search/i }).last().click()
  await page.getByRole('dialog', { name: 'Search the docs' }).getByRole('textbox').fill('rollback')
  const result = page.getByRole('dialog').getByRole('option', { name: /Rollbacks/ }).first()
  await expect(result).toBeVisible()
  await result.click()
  await expect(page).toHaveURL(/\/docs\/guides\/rollbacks/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rollbacks')
})

test('code blocks have a working copy button', async ({ page }) => {
  await page.goto('/docs/getting-started', { waitUntil: 'networkidle' })
  await copyWith(page, page.getByRole('button', { name: 'Copy code to clipboard' }).first(), text => expect(text).toContain('npm start'))
})

test('the interactive API reference renders the OpenAPI document offline', async ({ page, request }) => {
  // Scalar opens the first tag only: the registry's first tool is in it.
  const [first] = await (await request.get('/api/v1/tools')).json() as { title: string }[]
  await page.goto('/docs/api')
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible()
  await expect(page.getByRole('region', { name: first!.title })).toBeVisible({ timeout: 20_000 })
  await page.waitForLoadState('networkidle')
  // It looks like the docs around it: the site's font and background, and no toolbar of Scalar's own.
  const site = await page.evaluate(() => {
    const probe = Object.assign(document.createElement('div'), { style: 'font-family: var(--font-sans); background: var(--ui-bg)' })
    document.body.append(probe)
    const style = getComputedStyle(probe)
    const seen = { font: style.fontFamily, background: style.backgroundColor }
    probe.remove()
    return seen
  })
  const scalar = await page.locator('.scalar-app').first().evaluate(e => ({ font: getComputedStyle(e).fontFamily, background: getComputedStyle(e).backgroundColor }))
  expect(scalar.font).toBe(site.font)
  expect(scalar.background).toBe(site.background)
  await expect(page.locator('.api-reference-toolbar')).toHaveCount(0)
})

test('the docs are accessible, fit 360 px and look right in light and dark', async ({ page }, testInfo) => {
  test.setTimeout(300_000)
  for (const [name, path] of [['docs-getting-started', '/docs/getting-started'], ['docs-tools', '/docs/tools']]) {
    await page.goto(path!, { waitUntil: 'networkidle' })
    await expectAccessible(page)
    await screenshots(page, testInfo, name!)
  }
  await expectFitsNarrowScreen(page)
})
