import type { Incident } from '../db/schema'
import { commitMessage } from '../gitops/commits'
import { applicationName } from '../gitops/names'
import type { Services } from '../services'
import { AppError, errorMessage } from '../utils/errors'
import type { Evidence } from './evidence'
import type { Analysis, Proposal, SkillVerdict } from '../domain/incidents/model'
import { patchChanges, resolvePatch, type ServicePatch } from './patch'
import type { Skill, SkillAnswer, SkillInput, Skills } from './skills'

const DIFF_LIMIT = 16_000
export const branchOf = (incidentId: string) => `fix/${incidentId}`
export const AGENT_USER = 'mctl-agent'

export interface ProposeResult { proposal: Proposal | null, verdicts: SkillVerdict[], problems: string[] }

/**
 * Asks the skills in order; the first change that renders and passes the policy check
 * becomes a commit on `fix/<incident>`. Refusals (policy, a request above its limit) are
 * recorded per skill and the next one is asked. Other failures (git, the remote) are thrown
 * so the stage is tried again rather than concluding there is no fix.
 */
export async function proposeFix(services: Services, skills: Skills, incident: Incident, evidence: Evidence, analysis: Pick<Analysis, 'summary' | 'findings'>): Promise<ProposeResult> {
  const { index } = services
  await index.refresh()
  const tenant = incident.tenant!
  const service = incident.service!
  const entry = index.service(tenant, service)
  const tenantSpec = index.tenant(tenant)
  if (!entry || !tenantSpec) return { proposal: null, verdicts: [], problems: [`service "${tenant}/${service}" is not in the GitOps repository any more`] }
  const { skills: list, problems } = await skills.at(index.sha!)
  const input: SkillInput = { incident, evidence, analysis, tenant, service, spec: entry.spec, tenantSpec, index }
  const verdicts: SkillVerdict[] = []
  const say = (skill: Skill, result: SkillVerdict['result'], reason: string) => verdicts.push({ skill: skill.name, source: skill.source, result, reason })
  for (const skill of list) {
    let answer: SkillAnswer
    try { answer = await skill.run(input) }
    catch (err) {
      if (skill.source !== 'remote') throw err
      say(skill, 'failed', errorMessage(err))
      continue
    }
    if (answer.kind !== 'propose') {
      say(skill, answer.kind === 'skip' ? 'skipped' : 'reported', answer.reason)
      continue
    }
    try {
      const proposal = await commitProposal(services, incident, skill, answer, resolvePatch(answer.patch, entry.spec))
      if (!proposal) {
        say(skill, 'skipped', 'the repository already has this change')
        continue
      }
      say(skill, 'proposed', `${answer.title}: ${answer.reason}`)
      return { proposal, verdicts, problems }
    }
    catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err
      say(skill, 'refused', errorMessage(err))
    }
  }
  return { proposal: null, verdicts, problems }
}

type Proposed = Extract<SkillAnswer, { kind: 'propose' }>

/** The change rendered on the head and committed to the incident's branch (main stays). */
async function commitProposal(services: Services, incident: Incident, skill: Skill, answer: Proposed, patch: ServicePatch): Promise<Proposal | null> {
  const { store, repo, settings } = services
  const tenant = incident.tenant!
  const service = incident.service!
  const branch = branchOf(incident.id)
  if (patch.sync && Object.keys(patch).length === 1) return syncProposal(services, incident, skill, answer, patch, branch)
  let changes: string[] = []
  const made = await store.branch({
    branch,
    author: { name: 'MCTL agent', email: settings.gitops.committer.email },
    message: fixMessage({ tenant, service, title: answer.title, incident: incident.id, skill: skill.name, operationId: `incident-${incident.id}`, requestedBy: AGENT_USER, client: 'agent' }),
    build(index) {
      const made = patchChanges(index, tenant, service, index.service(tenant, service)!.spec, patch)
      changes = made.described
      return made.changes
    },
  })
  if (!made) return null
  const diff = await repo.diff(made.base, made.sha)
  return {
    skill: skill.name,
    source: skill.source,
    title: answer.title,
    reason: answer.reason,
    confidence: answer.confidence,
    patch: patch as Record<string, unknown>,
    tenant,
    service,
    branch,
    commit: made.sha,
    base: made.base,
    prUrl: null,
    prNumber: null,
    diffSummary: `${changes.join('; ')} (${diff.files.length} file${diff.files.length === 1 ? '' : 's'}: ${diff.files.map(f => `${f.path.split('/').slice(-2).join('/')} +${f.added} −${f.removed}`).join(', ')})`,
    files: diff.files,
    diff: diff.patch.length > DIFF_LIMIT ? `${diff.patch.slice(0, DIFF_LIMIT)}\n… (diff cut at ${DIFF_LIMIT} characters)` : diff.patch,
    state: 'open',
    operationId: null,
    mergedCommit: null,
    decidedBy: null,
    decidedVia: null,
    decidedAt: null,
    decisionNote: null,
  }
}

/** A fix that is only an Argo CD sync: nothing to commit, so no branch; approval asks Argo CD to sync. */
function syncProposal(services: Services, incident: Incident, skill: Skill, answer: Proposed, patch: ServicePatch, branch: string): Proposal {
  const app = applicationName(incident.tenant!, incident.service!)
  return {
    skill: skill.name, source: skill.source, title: answer.title, reason: answer.reason, confidence: answer.confidence,
    patch: patch as Record<string, unknown>, tenant: incident.tenant!, service: incident.service!,
    branch, commit: null, base: services.index.sha, prUrl: null, prNumber: null,
    diffSummary: `Argo CD sync of ${app} to git (no git change; after approval MCTL asks Argo CD to sync, reverting changes made in the cluster)`,
    files: [], diff: '',
    state: 'open', operationId: null, mergedCommit: null, decidedBy: null, decidedVia: null, decidedAt: null, decisionNote: null,
  }
}

export interface FixMeta { tenant: string, service: string, title: string, incident: string, skill: string, operationId: string, requestedBy: string, client: string }

/** GITOPS.md commit message with verb `fix` and the incident and skill as trailers. */
export function fixMessage(m: FixMeta) {
  return commitMessage({
    verb: 'fix',
    subject: `${m.tenant}/${m.service}`,
    detail: m.title,
    operationId: m.operationId,
    requestedBy: m.requestedBy,
    client: m.client,
    trailers: { 'Mctl-Incident': m.incident, 'Mctl-Skill': m.skill },
  })
}

/** The pull request body: the analysis, so a reviewer on GitHub sees why. */
export function pullRequestBody(incident: Incident, analysis: Analysis | null, p: Proposal, link: string) {
  return [
    `**${incident.alertname}** (${incident.severity}) on \`${p.tenant}/${p.service}\`: ${incident.summary}`,
    '',
    `### Analysis`,
    analysis?.summary ?? '',
    ...(analysis?.findings ?? []).map(f => `- ${f}`),
    ...(analysis?.llm ? ['', `#### ${analysis.llm.model}`, analysis.llm.text] : []),
    '',
    `### Proposed fix (${p.skill}, confidence ${Math.round(p.confidence * 100)} %)`,
    `${p.title}: ${p.reason}`,
    '',
    p.diffSummary,
    '',
    `Approve or reject it in MCTL: ${link} — merging here bypasses the policy check and the incident record.`,
  ].join('\n')
}
