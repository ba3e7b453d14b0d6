import type { GitRepo } from '../../gitops/repo'
import type { Settings } from '../../settings'
import { builtInSkills } from './builtin'
import { remoteSkill } from './remote'
import type { Skill } from './types'
import { loadYamlSkills, type YamlSkills } from './yaml'

export type { Skill, SkillAnswer, SkillInput } from './types'

/**
 * The skills in the order they are asked: the platform's own YAML skills first (they encode
 * local knowledge and may override a built-in), then the built-in ones, then the remote
 * skill (an external agent, for what nothing local handles).
 */
export class Skills {
  private cached: { rev: string, yaml: YamlSkills } | null = null
  private readonly remote: Skill | null

  constructor(private readonly repo: GitRepo, settings: Settings['agent']['skills']) {
    this.remote = remoteSkill(settings)
  }

  async at(rev: string): Promise<{ skills: Skill[], problems: string[] }> {
    if (this.cached?.rev !== rev) this.cached = { rev, yaml: await loadYamlSkills(this.repo, rev) }
    const { skills, problems } = this.cached.yaml
    return { skills: [...skills, ...builtInSkills, ...(this.remote ? [this.remote] : [])], problems }
  }
}
