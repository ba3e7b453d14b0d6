import { createServices, type Services } from './services'
import { browserSignIn, loadSettings } from './settings'
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
    s => logger.notice('mctl.started', banner(s), { baseUrl: s.settings.baseUrl, dataDir: s.settings.dataDir, gitops: s.settings.gitops.remoteUrl || s.settings.gitops.dir, tools: s.tools.length }),
    (err) => {
      logger.error('mctl.start_failed', { error: errorMessage(err) })
      process.stderr.write(`\nMCTL cannot start: ${errorMessage(err)}\n\n`)
      process.exit(1)
    },
  )
  return ready
}

/** What a person who just ran `npm start` needs: where it is, where its data is, how to get in. */
function banner({ settings, directory }: Services): string {
  const url = settings.baseUrl
  const signIn = directory.adminCanSignIn(browserSignIn(settings))
    ? `${url}/login`
    : 'open the setup link printed above to create the first admin'
  return [
    `MCTL is ready at ${url}`,
    `  Data       ${settings.dataDir} (SQLite, GitOps repository ${settings.gitops.remoteUrl || settings.gitops.dir})`,
    `  Sign in    ${signIn}`,
    `  AI client  add ${url}/mcp as a remote MCP server; ${url}/mcp in a browser shows each client's settings`,
  ].join('\n')
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
