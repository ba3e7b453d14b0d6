import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, devices } from '@playwright/test'
import { INTAKE_TOKEN } from './tests/helpers/agent'
import { ADMIN_TOKEN } from './tests/helpers/server'

const root = dirname(fileURLToPath(import.meta.url))

// Playwright evaluates this file in the runner and again in every worker. Only the first
// evaluation builds, picks the port and creates the data directory; the workers inherit the
// result through the environment, so baseURL is the same everywhere.
if (!process.env.MCTL_E2E_URL) {
  // Synchronous because the config cannot await; a no-op when .output is current.
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' })
  const port = execFileSync(process.execPath, ['-e', `
    const server = require('node:net').createServer()
    server.listen(0, '127.0.0.1', () => { console.log(server.address().port); server.close() })
  `], { encoding: 'utf8' }).trim()
  const dataDir = mkdtempSync(join(tmpdir(), 'mctl-e2e-'))
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  process.env.MCTL_E2E_PORT = port
  process.env.MCTL_E2E_DATA_DIR = dataDir
  process.env.MCTL_E2E_URL = `http://127.0.0.1:${port}`
}
const port = process.env.MCTL_E2E_PORT!
const baseURL = process.env.MCTL_E2E_URL

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: CI machines are shared, and a page with axe, two colour modes and screenshots is slow there.
  timeout: 120_000,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // The Debian package, not a Playwright download: the machine has no internet.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run'],
        },
      },
    },
  ],
  webServer: {
    command: 'node .output/server/index.mjs',
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // Server stderr is shown prefixed with [WebServer]; stdout (request logs) stays quiet.
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      NUXT_DATA_DIR: process.env.MCTL_E2E_DATA_DIR!,
      NUXT_PUBLIC_BASE_URL: baseURL!,
      NUXT_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      // The incident pages need alerts in: the Alertmanager webhook's shared secret.
      NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN,
    },
  },
})
