// `node .output/server/operation.mjs <operation id>`: runs one accepted operation's steps in
// this process, on the data directory and settings (NUXT_* variables) of the server that
// accepted it. The Argo engine's Workflow runs it in the app image; the exit code says
// whether the operation succeeded (0) or not (1), so the Workflow's phase says it too.
import { loadSecret } from './auth/oauth/keys'
import { operations as agentOperations } from './agent/apply'
import { createCore } from './core'
import { applyEnv, loadSettings, prepareSessionEnv } from './settings'
import { operationsOf, tools } from './tools/registry'
import { errorMessage } from './utils/errors'
import { createLogger } from './utils/logger'

/** Put in by the build (nuxt.config.ts): the runtime config defaults and the migrations. */
declare const MCTL_BUILD: { runtimeConfig: Record<string, any>, migrations: Record<string, string> }

async function runOperation(id: string, runtimeConfig: Record<string, any>, migrations: Record<string, string>, env = process.env): Promise<number> {
  const logger = createLogger(true)
  const config = applyEnv(runtimeConfig, env)
  prepareSessionEnv(config, env, loadSecret)
  const core = await createCore(loadSettings(config), [...operationsOf(tools), ...agentOperations], async path => migrations[path] ?? null, logger)
  try {
    const before = core.engine.get(id)
    if (!before) throw new Error(`Operation ${id} does not exist in ${core.settings.dataDir}`)
    const op = (await core.engine.runHere(id))!
    logger.info('runner.finished', { operation: id, name: op.name, status: op.status, commit: op.commitSha ?? undefined, error: op.error ?? undefined })
    return op.status === 'succeeded' ? 0 : 1
  }
  finally {
    await core.close()
  }
}

const id = process.argv[2]
if (!id) {
  process.stderr.write('usage: node .output/server/operation.mjs <operation id>\n')
  process.exit(2)
}
runOperation(id, MCTL_BUILD.runtimeConfig, MCTL_BUILD.migrations).then(
  code => process.exit(code),
  (err) => {
    process.stderr.write(`operation runner: ${errorMessage(err)}\n`)
    process.exit(1)
  },
)
