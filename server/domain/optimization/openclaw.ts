import { checkPolicy } from '../../gitops/policy'
import type { RepoIndex } from '../../gitops/state'
import { AppError } from '../../utils/errors'
import { deployChanges, deployParams } from '../services/deploy'
import type { DeployParams } from '../services/deploy-input'
import type { IntakeSettings } from './intake'
import { BOT_TOKEN } from './intake'
import { heapFlag, PROFILES } from './profiles'

/** The OpenClaw gateway's port (its web dashboard and health endpoint). */
export const OPENCLAW_PORT = 18789

/**
 * The OpenClaw template: the onboarding of mctl_resume_openclaw_deploy, as deploy-service
 * parameters — the startup profile, its Node heap, the bot token as a secret env var (the
 * value is already in the store) and a database.
 */
export function openclawDeploy(index: RepoIndex, image: string, tenant: string, service: string, s: IntakeSettings): DeployParams {
  const startup = PROFILES.startup
  const params = deployParams({
    action: 'onboard',
    team_name: tenant,
    component_name: service,
    image,
    port: OPENCLAW_PORT,
    component_type: 'web',
    ...(s.host ? { host: s.host } : {}),
    health_check_path: '/healthz',
    env_vars: {
      TELEGRAM_OWNER_IDS: s.telegramOwnerIds.join(','),
      OPENCLAW_DEFAULT_MODEL: s.defaultModel,
      NODE_OPTIONS: heapFlag(startup.nodeHeapMiB),
    },
    provision_database: true,
  }, [BOT_TOKEN], index)
  return { ...params, resources: { requests: { ...startup.requests }, limits: { ...startup.limits } } }
}

/**
 * TOOLS.md: the tenant must meet the startup profile. Checked as the real onboarding would
 * be (quota with every service and preview at full scale, hosts), so what passes here
 * cannot fail on quota later unless the tenant changes in between.
 */
export function checkRoomFor(index: RepoIndex, params: DeployParams) {
  try {
    checkPolicy(deployChanges(params, index), index)
  }
  catch (err) {
    if (!(err instanceof AppError) || err.status !== 422) throw err
    const { requests } = PROFILES.startup
    throw new AppError(422, `Tenant "${params.team_name}" cannot run OpenClaw's startup profile (requests ${requests.cpu} CPU, ${requests.memory} memory, 1 pod) next to what it runs: ${err.message}`, err.details)
  }
}
