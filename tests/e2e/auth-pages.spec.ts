import { expect, test } from '@playwright/test'

// The sign-in pages render under the strict CSP without console errors, and pages that need a
// person send others to /login and back.
test('the login page renders cleanly and offers local sign-in', async ({ page }) => {
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', e => problems.push(`page error: ${e.message}`))
  await page.goto('/login')
  await expect(page.getByText('Sign in to MCTL')).toBeVisible()
  await expect(page.getByLabel('Login', { exact: true })).toBeVisible()
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible()
  await page.waitForLoadState('networkidle')
  expect(problems).toEqual([])
})

for (const path of ['/console/tokens', '/oauth/consent?uid=unknown']) {
  test(`${path} asks a signed-out person to sign in first`, async ({ page }) => {
    await page.goto(path)
    await expect(page).toHaveURL(/\/login\?redirect=/)
    expect(new URL(page.url()).searchParams.get('redirect')).toBe(path)
  })
}
