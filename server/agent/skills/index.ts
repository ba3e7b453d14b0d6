import type { SecretStore } from '../../adapters/secrets/types'
import type { GitRepo } from '../../gitops/repo'
import type { Settings } from '../../settings'
import { builtInSkills } from './builtin'
import { remoteSkill, tenantAgentSkill } from './remote'
import type { Skill } from './types'
import { loadYamlSkills, type YamlSkills } from './yaml'

export type { Skill, SkillAnswer, SkillInput } from './types'

/**
 * The skills in the order they are asked: the platform's own YAML skills first (they encode
 * local knowledge and may override a built-in), then the built-in ones, then the tenant's
 * own agent (tenant.yaml `agent`, that tenant's incidents only), then the global remote skill
 * (an external agent, for what nothing before it proposed — also when the tenant's own agent
 * had no answer or failed).
 */
export class Skills {
  private cached: { rev: string, yaml: YamlSkills } | null = null
  private readonly remote: Skill[]

  constructor(private readonly repo: GitRepo, settings: Settings['agent']['skills'], secrets: SecretStore) {
    const global = remoteSkill(settings)
    this.remote = [tenantAgentSkill(secrets), ...(global ? [global] : [])]
  }

  async at(rev: string): Promise<{ skills: Skill[], problems: string[] }> {
    if (this.cached?.rev !== rev) this.cached = { rev, yaml: await loadYamlSkills(this.repo, rev) }
    const { skills, problems } = this.cached.yaml
    return { skills: [...skills, ...builtInSkills, ...this.remote], problems }
  }
}
