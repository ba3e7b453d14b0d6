import type { Incident } from '../../db/schema'
import type { ServiceSpec, TenantSpec } from '../../gitops/specs'
import type { RepoIndex } from '../../gitops/state'
import type { Evidence } from '../evidence'
import type { ServicePatch } from '../patch'

/** What a skill sees: the incident, its evidence and analysis, and the service as git has it. */
export interface SkillInput {
  incident: Incident
  evidence: Evidence
  analysis: { summary: string, findings: string[] }
  tenant: string
  service: string
  spec: ServiceSpec
  tenantSpec: TenantSpec
  index: RepoIndex
}

/** A skill proposes one change, reports a finding, or says why it does not apply. */
export type SkillAnswer =
  | { kind: 'propose', title: string, reason: string, confidence: number, patch: ServicePatch }
  | { kind: 'report', reason: string }
  | { kind: 'skip', reason: string }

export type SkillSource = 'built-in' | 'yaml' | 'remote'

/** The one small interface behind built-in, YAML and remote skills. */
export interface Skill {
  name: string
  source: SkillSource
  description: string
  run(input: SkillInput): SkillAnswer | Promise<SkillAnswer>
}

export const skip = (reason: string): SkillAnswer => ({ kind: 'skip', reason })
