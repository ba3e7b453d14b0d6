// Shared by every e2e test: a page that records anything a visitor should never see (console
// errors, failed or 4xx/5xx requests, requests leaving this machine), plus the checks the
// main pages all get (accessibility, screenshots in both colour modes, narrow screens).
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page, type TestInfo } from '@playwright/test'

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** 4xx/5xx answers a test expects the page to get (e.g. 404 from a name-availability check). */
export interface ExpectedFailures { url: RegExp, statuses: number[] }

export const test = base.extend<{ problems: string[], expectedFailures: ExpectedFailures | null }>({
  expectedFailures: [null, { option: true }],
  problems: [async ({ page, context, expectedFailures }, use) => {
    const problems: string[] = []
    const expected = (url: string, status: number) => !!expectedFailures?.statuses.includes(status) && expectedFailures.url.test(url)
    // Offline by design: anything for another host is a bug, so it is recorded and refused.
    await context.route(url => /^https?:$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname), (route) => {
      problems.push(`external request: ${route.request().url()}`)
      return route.abort()
    })
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      // Chromium logs each error answer as "Failed to load resource: … status of 404"; an
      // expected one is already accounted for.
      const status = /status of (\d{3})/.exec(message.text())?.[1]
      if (status && expected(message.location().url, Number(status))) return
      problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', error => problems.push(`page error: ${error.message}`))
    page.on('requestfailed', (request) => {
      // A navigation cancelling its own in-flight requests is not a failure.
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`)
    })
    // A 404 for a chunk, an icon or a font is not a "failed request" to the browser, but it is to us.
    page.on('response', (response) => {
      if (response.status() >= 400 && !expected(response.url(), response.status())) problems.push(`HTTP ${response.status()}: ${response.url()}`)
    })
    await use(problems)
    expect(problems).toEqual([])
  }, { auto: true }],
})

export { expect }

/**
 * Switches the colour mode the way a visitor's system setting does, and waits for the page to
 * follow. On a prerendered page (the docs) @nuxtjs/color-mode settles the mode when the app is
 * mounted, from the value the page started with: a change made while a large page (the tools
 * reference) is still hydrating is undone. So the setting is flipped again until it holds.
 */
export async function useColorScheme(page: Page, scheme: 'light' | 'dark') {
  const other = scheme === 'light' ? 'dark' : 'light'
  let first = true
  await expect(async () => {
    if (!first) await page.emulateMedia({ colorScheme: other })
    first = false
    await page.emulateMedia({ colorScheme: scheme })
    await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${scheme}\\b`), { timeout: 5_000 })
  }).toPass({ timeout: 40_000 })
}

/** axe-core in light and dark: no serious or critical violation in either. Leaves the page dark. */
export async function expectAccessible(page: Page) {
  for (const scheme of ['light', 'dark'] as const) {
    await useColorScheme(page, scheme)
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map(v => `${scheme}: ${v.id} — ${v.help}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
  }
}

/** Full-page screenshots in light and dark, kept with the test's results. */
export async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await useColorScheme(page, scheme)
    const path = testInfo.outputPath(`${name}-${scheme}.png`)
    await page.screenshot({ path, fullPage: true })
    await testInfo.attach(`${name}-${scheme}`, { path, contentType: 'image/png' })
  }
}

/** At 360 px wide nothing may stick out sideways (the page never scrolls horizontally). */
export async function expectFitsNarrowScreen(page: Page) {
  await page.setViewportSize({ width: 360, height: 780 })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
}

/**
 * Clicks a copy button until the clipboard holds what `check` expects, and returns it. The
 * clipboard is shared by every page of the browser, and a click that lands before hydration
 * copies nothing, so one click and one read would test the previous test's copy.
 */
export async function copyWith(page: Page, button: import('@playwright/test').Locator, check: (text: string) => void) {
  let text = ''
  await expect(async () => {
    await page.evaluate(() => navigator.clipboard.writeText(''))
    await button.click()
    text = await page.evaluate(() => navigator.clipboard.readText())
    check(text)
  }).toPass({ timeout: 15_000 })
  return text
}
