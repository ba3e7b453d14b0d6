// The console on a phone (issue 17): at 390 px the console's navigation is a drawer with icons
// and full labels, empty states wrap instead of being cut, and a table's action stays on screen.
import type { Locator, Page } from '@playwright/test'
import { expect, expectAccessible, screenshots, test } from './fixtures'
import { signIn } from './session'

const WIDTH = 390

test.use({ viewport: { width: WIDTH, height: 844 } })

/** Entirely within the screen's width (nothing cut at either side). */
async function expectWithinWidth(locator: Locator) {
  await locator.scrollIntoViewIfNeeded()
  const box = (await locator.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH)
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

test('at 390 px the console menu is a drawer with full labels, and a token is revoked from its table', async ({ page }, testInfo) => {
  await signIn(page, 'pia')
  await page.goto('/console')
  await page.getByRole('button', { name: 'Console menu' }).click()
  const drawer = page.getByRole('dialog', { name: 'Console' })
  for (const label of ['Overview', 'Incidents', 'New tenant', 'Tokens']) {
    const link = drawer.getByRole('link', { name: label, exact: true })
    await expect(link).toHaveText(label)
    await expect(link).toBeInViewport({ ratio: 1 })
  }
  await screenshots(page, testInfo, 'console-drawer')
  await drawer.getByRole('link', { name: 'Tokens', exact: true }).click()
  await expect(page).toHaveURL('/console/tokens')
  await expect(drawer).toHaveCount(0)

  // The empty state is read whole, not cut at the screen's edge.
  await expectWithinWidth(page.getByText('No tokens yet'))

  await page.getByRole('textbox', { name: 'Name' }).fill('phone')
  await page.getByRole('button', { name: 'Create token' }).click()
  await expect(page.getByTestId('new-token')).toBeVisible()
  const revoke = page.getByRole('button', { name: 'Revoke phone' })
  await expectWithinWidth(revoke)
  await expect(revoke).toBeInViewport({ ratio: 1 })
  await revoke.click()
  await expect(page.getByRole('row').filter({ hasText: 'phone' })).toContainText('revoked')
  expect(await overflow(page)).toBeLessThanOrEqual(0)
  await expectAccessible(page)
  await screenshots(page, testInfo, 'tokens-narrow')
})
