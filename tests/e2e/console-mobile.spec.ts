// The console on a phone (issue 17): at 390 px the console's navigation is a drawer with icons
// and full labels, empty states wrap instead of being cut, and a table's rows are cards: each
// field under its label, the row's action inside the card, nothing wider than the screen.
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

/**
 * How far the page scrolls sideways, and every visible element reaching past the screen's right
 * edge: in a box that scrolls sideways (a wide table) it counts, where an ancestor clips it
 * (visually hidden text) it does not.
 */
const overflow = (page: Page) => page.evaluate(() => {
  const visibleRight = (element: Element) => {
    let right = element.getBoundingClientRect().right
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (['hidden', 'clip'].includes(getComputedStyle(box).overflowX)) right = Math.min(right, box.getBoundingClientRect().right)
    }
    return right
  }
  return {
    scroll: Math.max(0, document.scrollingElement!.scrollWidth - window.innerWidth),
    past: [...document.body.querySelectorAll('*')]
      .filter(e => e.checkVisibility({ visibilityProperty: true }) && e.getBoundingClientRect().width > 0 && visibleRight(e) > window.innerWidth + 0.5)
      .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 3).join('.')}: ${(e.textContent ?? '').trim().slice(0, 40)}`),
  }
})

/**
 * A table row shown as a card: as wide as the screen at most, its fields one under another,
 * each with its label in view, and its action inside the card.
 */
async function expectCard(row: Locator, labels: string[], action: Locator) {
  await row.scrollIntoViewIfNeeded()
  const card = (await row.boundingBox())!
  expect(card.x).toBeGreaterThanOrEqual(0)
  expect(card.x + card.width).toBeLessThanOrEqual(WIDTH)
  let above = -Infinity
  for (const label of labels) {
    const shown = row.getByText(label, { exact: true })
    await expect(shown, `the label "${label}"`).toBeVisible()
    const box = (await shown.boundingBox())!
    expect(box.y, `"${label}" under the field before it`).toBeGreaterThan(above)
    expect(box.x + box.width).toBeLessThanOrEqual(WIDTH)
    above = box.y
  }
  await expectWithinWidth(action)
  await expect(action).toBeInViewport({ ratio: 1 })
  const button = (await action.boundingBox())!
  expect(button.y).toBeGreaterThanOrEqual(card.y)
  expect(button.y + button.height).toBeLessThanOrEqual(card.y + card.height)
}

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
  const token = page.getByRole('row').filter({ hasText: 'phone' })
  const revoke = token.getByRole('button', { name: 'Revoke phone' })
  await expectCard(token, ['Name', 'Access', 'Created', 'Expires', 'Last used'], revoke)
  // The same for a row with a long unbroken value (the browser's user agent).
  const browser = page.getByRole('row').filter({ hasText: 'this browser' })
  await expectCard(browser, ['Browser', 'Address', 'Signed in', 'Last seen', 'Expires'], browser.getByRole('button', { name: /^Revoke the session of / }))
  await expectWithinWidth(page.getByText('No connected clients'))
  // The form is ready for the next token, not complaining that the emptied name is missing.
  await expect(page.getByText(/^Name the token/)).toHaveCount(0)
  expect(await overflow(page)).toEqual({ scroll: 0, past: [] })

  await revoke.click()
  await expect(token).toContainText('revoked')
  expect(await overflow(page)).toEqual({ scroll: 0, past: [] })
  await expectAccessible(page)
  await screenshots(page, testInfo, 'tokens-narrow')
})
