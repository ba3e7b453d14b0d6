import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  // srcDir is the repository root, so every Nuxt alias points there.
  resolve: {
    alias: { '~~': root, '@@': root, '~': root, '@': root },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Integration tests start the built server and run git; hooks may wait for start-up.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Builds .output when the sources changed, so a single integration file can run alone.
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Forks, not threads: better-sqlite3 and spawned servers behave best in separate processes.
    pool: 'forks',
    // Two cores on CI; each integration file may also run its own server process.
    maxWorkers: 2,
  },
})
