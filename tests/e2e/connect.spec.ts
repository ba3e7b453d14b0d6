import { copyWith, expect, expectAccessible, expectFitsNarrowScreen, screenshots, test } from './fixtures'

test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

test('a browser on /mcp gets the connect page with this server\'s URL to copy', async ({ page, baseURL }) => {
  const mcpUrl = `${baseURL}/mcp`
  await page.goto('/mcp')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connect an AI client')
  await expect(page.getByRole('textbox', { name: 'MCP server URL' })).toHaveValue(mcpUrl)

  await copyWith(page, page.getByRole('button', { name: 'Copy', exact: true }), text => expect(text).toBe(mcpUrl))
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible()
})

test('the first client tab is selected on load, so "Configure your client" is never empty', async ({ page, baseURL }) => {
  await page.goto('/mcp')
  const tabs = page.getByRole('tablist').getByRole('tab')
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel')).toBeVisible()
  await expect(page.getByRole('tabpanel')).toContainText(`${baseURL}/mcp`)
})

test('each client tab has a snippet for this server, and its copy button copies it', async ({ page, baseURL }) => {
  const mcpUrl = `${baseURL}/mcp`
  await page.goto('/mcp')
  await expect(page.locator('[data-client="claude-code"]')).toContainText(`claude mcp add --transport http mctl ${mcpUrl}`)

  await page.getByRole('tab', { name: 'Cursor' }).click()
  const cursor = page.locator('[data-client="cursor"]')
  await expect(cursor).toBeVisible()
  await copyWith(page, cursor.getByRole('button', { name: 'Copy code to clipboard' }), text => expect(JSON.parse(text || '{}')).toEqual({ mcpServers: { mctl: { url: mcpUrl } } }))

  for (const tab of ['VS Code', 'Claude Desktop', 'Windsurf', 'Other clients']) {
    await page.getByRole('tab', { name: tab }).click()
    await expect(page.getByRole('tabpanel')).toContainText(mcpUrl)
  }
  await expect(page.getByText('Connect Claude.ai')).toBeVisible()
})

test('the Connect link of the prerendered pages shows the URL the server really has', async ({ page, baseURL }) => {
  await page.goto('/docs')
  await page.getByRole('banner').getByRole('link', { name: 'Connect' }).click()
  await expect(page).toHaveURL(/\/mcp$/)
  await expect(page.getByRole('textbox', { name: 'MCP server URL' })).toHaveValue(`${baseURL}/mcp`)
})

test('the connect page is accessible, fits 360 px and looks right in light and dark', async ({ page }, testInfo) => {
  await page.goto('/mcp', { waitUntil: 'networkidle' })
  await expectAccessible(page)
  await screenshots(page, testInfo, 'connect')
  await expectFitsNarrowScreen(page)
})
