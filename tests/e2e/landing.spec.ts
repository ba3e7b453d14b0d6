import { expect, test } from '@playwright/test'

test('the landing page renders without console errors or failed requests', async ({ page }) => {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', error => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', request => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`))
  // A 404 for a chunk or a font is not a "failed request" to the browser, but it is to us.
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })

  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/GitOps|MCTL/)
  // Let hydration and lazy chunks finish so late errors are caught too.
  await page.waitForLoadState('networkidle')

  expect(problems).toEqual([])
})
