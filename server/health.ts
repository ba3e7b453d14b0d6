import type { Services } from './services'
import { errorMessage } from './utils/errors'

/** /readyz: the database answers and the GitOps repository is readable. */
export async function readiness(services: Services | null) {
  if (!services) return { status: 'starting', checks: { database: 'starting', repository: 'starting' } }
  const checks: Record<string, string> = {}
  try {
    services.sqlite.prepare('select 1').get()
    checks.database = 'ok'
  }
  catch (err) { checks.database = `failed: ${errorMessage(err)}` }
  try {
    checks.repository = (await services.repo.head()) ? 'ok' : 'failed: the branch has no commits'
  }
  catch (err) { checks.repository = `failed: ${errorMessage(err)}` }
  return { status: Object.values(checks).every(c => c === 'ok') ? 'ready' : 'not ready', checks }
}
