import { createServices, type Services } from './services'
import { loadSettings } from './settings'
import { tools } from './tools/registry'
import type { MigrationReader } from './db'
import { createLogger } from './utils/logger'
import { errorMessage } from './utils/errors'

export const logger = createLogger()
let ready: Promise<Services> | undefined

/**
 * Builds the services once, at boot. A start-up failure (bad setting, unreadable repository)
 * is fatal and says why: a half-started control plane is worse than none.
 */
export function startMctl(config: Record<string, any>, readMigration: MigrationReader): Promise<Services> {
  ready ??= Promise.resolve().then(() => createServices(loadSettings(config), tools, readMigration, logger))
  ready.then(
    s => logger.info('mctl.started', { baseUrl: s.settings.baseUrl, dataDir: s.settings.dataDir, gitops: s.settings.gitops.remoteUrl || s.settings.gitops.dir, tools: s.tools.length }),
    (err) => {
      logger.error('mctl.start_failed', { error: errorMessage(err) })
      process.stderr.write(`\nMCTL cannot start: ${errorMessage(err)}\n\n`)
      process.exit(1)
    },
  )
  return ready
}

/** The services, once started (requests during start-up wait for them). */
export function useServices(): Promise<Services> {
  if (!ready) throw new Error('MCTL has not been started')
  return ready
}

/** The services if start-up has finished, else null (for health checks that must not wait). */
export async function servicesIfReady(): Promise<Services | null> {
  if (!ready) return null
  return Promise.race([ready, new Promise<null>(r => setImmediate(() => r(null)))])
}
