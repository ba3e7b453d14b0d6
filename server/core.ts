import { join } from 'node:path'
import { version } from '../package.json'
import { createCluster } from './adapters/kubernetes'
import { createSecretStore } from './adapters/secrets'
import { openDatabase, type MigrationReader } from './db'
import { GitRepo } from './gitops/repo'
import { skeletonFiles } from './gitops/skeleton'
import { PlatformSpec } from './gitops/specs'
import { RepoIndex } from './gitops/state'
import { GitOpsStore } from './gitops/store'
import { Engine, type RemoteRunner } from './operations/engine'
import type { OperationDef, StepServices } from './operations/types'
import type { Settings } from './settings'
import { heldClaim } from './domain/domains/store'
import { errorMessage } from './utils/errors'
import { secureDataDir } from './utils/keys'
import type { Logger } from './utils/logger'

/** What operation steps use, and the engine that runs them; the operation runner (operation.mjs) builds only these. */
export type CoreServices = StepServices & {
  engine: Engine
  close(): Promise<void>
}

/**
 * The database, the GitOps repository and its index, the engine and the adapters steps
 * need: shared by the server and the operation runner. Starts nothing in the background.
 * `defs`: every module's operation definitions (the tools' and the agent's).
 */
export async function createCore(settings: Settings, defs: OperationDef[], readMigration: MigrationReader, logger: Logger, remote?: RemoteRunner): Promise<CoreServices> {
  for (const path of secureDataDir(settings.dataDir)) logger.warn('data.permissions_unchanged', { path, note: 'not owned by this user: others may be able to read it' })
  const { db, sqlite, close } = await openDatabase(`${settings.dataDir}/mctl.db`, readMigration)
  const repo = new GitRepo({
    dir: settings.gitops.dir,
    branch: settings.gitops.branch,
    remoteUrl: settings.gitops.remoteUrl || undefined,
    token: settings.gitops.token || undefined,
    committer: settings.gitops.committer,
  })
  const platform = PlatformSpec.parse({ baseDomain: settings.baseDomain, gitopsRepoUrl: settings.gitops.remoteUrl })
  await repo.ensure(() => skeletonFiles(platform), 'platform: initial skeleton\n\nMctl-Operation: bootstrap\nMctl-Requested-By: mctl\nMctl-Client: mctl\n')
  const index = new RepoIndex(repo, domain => heldClaim(db, domain)?.tenant)
  const snapshot = join(settings.dataDir, 'index.json')
  const restored = await index.restore(snapshot, version)
  await index.refresh()
  for (const [path, problem] of index.problems) logger.warn('gitops.unparsable', { path, problem })
  logger.info('gitops.index', { sha: index.sha, tenants: index.tenants.size, services: index.sortedServices().length, from: restored ? 'snapshot' : 'repository' })
  const store = new GitOpsStore(repo, index)
  const steps: StepServices = {
    settings, logger, db, sqlite, repo, index, store,
    cluster: createCluster(settings.cluster),
    secrets: createSecretStore(settings, db),
  }
  const engine = new Engine(db, new Map(defs.map(d => [d.name, d])), logger, steps, settings.engine.concurrency, remote)
  const core: CoreServices = {
    ...steps,
    engine,
    async close() {
      store.stop()
      await engine.stop()
      // The next start parses only what changed after this.
      await store.exclusive(() => index.save(snapshot, version)).catch(err => logger.warn('gitops.index_not_saved', { error: errorMessage(err) }))
      await repo.close()
      close()
    },
  }
  if (!restored) await index.save(snapshot, version).catch(err => logger.warn('gitops.index_not_saved', { error: errorMessage(err) }))
  return core
}
