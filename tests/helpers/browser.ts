// Real Chromium (the Debian package) for browser steps inside integration tests.
import { type Browser, chromium, type Page } from '@playwright/test'

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run'],
  })
}

/** Collects console errors, page errors and failed requests, to assert a page ran cleanly. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', e => problems.push(`page error: ${e.message}`))
  return problems
}
