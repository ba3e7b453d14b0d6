import { and, asc, eq, inArray, ne } from 'drizzle-orm'
import type { SecretStore } from '../adapters/secrets/types'
import { incidents, type Incident, type Operation } from '../db/schema'
import { isFinished } from '../operations/engine'
import type { GitRepo } from '../gitops/repo'
import type { Services } from '../services'
import type { Settings } from '../settings'
import { errorMessage } from '../utils/errors'
import { findings, llmAnalysis } from './analyze'
import { classify } from './classify'
import { gatherEvidence, type Evidence } from './evidence'
import type { Analysis, SkillVerdict } from '../domain/incidents/model'
import { announce, escalate, update } from './notify'
import { AGENT_USER, proposeFix, pullRequestBody } from './propose'
import { applyOperationOf, submitApply } from './review'
import { Skills } from './skills'
import { note, proposalOf, transition, withProposal } from '../domain/incidents/state'

const ACTIVE = ['detect', 'analyze', 'propose', 'apply', 'withdraw'] as const
/** Tries of one stage before the agent gives up on the incident (outcome failed, with the error). */
const MAX_ATTEMPTS = 3
const BATCH = 100

/**
 * The self-healing agent: a small state machine over the incidents table. Every stage change
 * is a row update (with a history entry) before the next stage starts, so a restart resumes
 * each incident where it was, and a proposal is made at most once per incident (its branch
 * is named after the incident, and the proposal is recorded before review).
 *
 *   detect → analyze → propose → review ⇄ (a person) → apply → verify → done
 *                          ↘ done (no fix)          ↘ withdraw → done (rejected, failed)
 */
export class Agent {
  readonly skills: Skills
  /** Set by the composition root once everything is built (as for the engine). */
  services!: Services
  private timer?: NodeJS.Timeout
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor(repo: GitRepo, private readonly settings: Settings['agent'], secrets: SecretStore) {
    this.skills = new Skills(repo, settings.skills, secrets)
  }

  /** Boot: resume every unfinished incident, then look again every few seconds and on events. */
  start() {
    this.timer = setInterval(() => this.kick(), this.settings.pollSeconds * 1000).unref()
    this.services.engine.on('update', (op: Operation) => {
      if (op.name === 'apply-fix' && isFinished(op)) this.kick()
    })
    this.kick()
  }

  /** Something changed (an alert, a decision, an operation): run a pass now, or right after the current one. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.drain().finally(() => { this.running = null })
    return this.running
  }

  async stop() {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }

  private async drain() {
    do {
      this.again = false
      try { await this.pass() }
      catch (err) { this.services.logger.error('agent.pass_failed', { error: errorMessage(err) }) }
    } while (this.again && !this.stopped)
  }

  private async pass() {
    const { db } = this.services
    const byStage = (stages: readonly Incident['stage'][]) => db.select().from(incidents)
      .where(inArray(incidents.stage, [...stages])).orderBy(asc(incidents.firstSeenAt)).limit(BATCH).all()
    for (const incident of [...byStage(ACTIVE), ...byStage(['verify'])]) {
      if (this.stopped) return
      await this.advance(incident)
    }
  }

  /** Takes one incident as far as it goes now: to a stage that waits (review, verify, done) or an unfinished operation. */
  private async advance(start: Incident) {
    let current: Incident = start
    while (!this.stopped) {
      let next: Incident | null
      try { next = await this.step(current) }
      catch (err) {
        this.failed(current, err)
        return
      }
      if (!next || next.stage === current.stage) return
      current = next
    }
  }

  private step(i: Incident): Promise<Incident | null> | Incident | null {
    switch (i.stage) {
      case 'detect': return this.detect(i)
      case 'analyze': return this.analyze(i)
      case 'propose': return this.propose(i)
      case 'apply': return this.apply(i)
      case 'withdraw': return this.withdraw(i)
      case 'verify': return this.verify(i)
      default: return null
    }
  }

  private detect(i: Incident) {
    const { db } = this.services
    if (i.status === 'resolved') return transition(db, i, 'done', 'The alert resolved before the agent looked at it', { outcome: 'resolved' })
    const c = classify(i)
    if (c.kind === 'suppressed') return transition(db, i, 'done', `Suppressed: ${c.reason}`, { classification: c, outcome: 'suppressed', status: 'suppressed' })
    if (c.kind === 'informational') return transition(db, i, 'done', `Informational: ${c.reason}`, { classification: c, outcome: 'informational' })
    return transition(db, i, 'analyze', `Actionable: ${c.reason}`, { classification: c })
  }

  private async analyze(i: Incident) {
    const evidence = await gatherEvidence(this.services, i)
    const rules = findings(i, evidence)
    const llm = await llmAnalysis(this.services.llm, i, evidence, rules)
    const analysis: Analysis = { ...rules, ...llm, skills: [], skillProblems: [] }
    return transition(this.services.db, i, 'propose', `Analysed: ${rules.summary}`, { evidence: evidence as unknown as Record<string, unknown>, analysis })
  }

  private async propose(i: Incident): Promise<Incident | null> {
    const { db, logger } = this.services
    const analysis = i.analysis as Analysis
    if (proposalOf(i)) return this.review(i) // made before a restart: never twice
    const done = (outcome: Incident['outcome'], reason: string, set: Partial<Incident> = {}) => transition(db, i, 'done', reason, { outcome, ...set })
    if (i.status === 'resolved') return done('resolved', 'The alert resolved before a fix was proposed')
    if (!i.tenant || !i.service) return done('no-fix', 'No fix proposed: the alert is not mapped to a service of a tenant (namespace and service, app, deployment, container or pod labels), so there is nothing in the GitOps repository to change')
    const twin = db.select().from(incidents).where(and(eq(incidents.fingerprint, i.fingerprint), ne(incidents.id, i.id), inArray(incidents.stage, ['review', 'apply', 'verify']))).get()
    if (twin) return done('duplicate', `A fix for this alert is already in incident ${twin.id} (stage ${twin.stage}): no second proposal`)

    const result = await proposeFix(this.services, this.skills, i, i.evidence as unknown as Evidence, analysis)
    for (const problem of result.problems) logger.warn('agent.skill_invalid', { incident: i.id, problem })
    const analysed: Analysis = { ...analysis, skills: result.verdicts, skillProblems: result.problems }
    if (!result.proposal) return this.told(i, 'done', noFixReason(result.verdicts, result.problems), { outcome: 'no-fix', analysis: analysed })
    // Recorded before anything else happens, so a restart finds it and goes on to review.
    const saved = db.update(incidents).set({ analysis: analysed, proposal: result.proposal }).where(eq(incidents.id, i.id)).returning().get()!
    note(db, saved, `Proposed on ${result.proposal.branch} (${result.proposal.commit!.slice(0, 12)}) by skill ${result.proposal.skill}: ${result.proposal.title}`)
    return this.review(saved)
  }

  /** Opens the pull request (best effort: the proposal is reviewable in MCTL either way) and waits for a person. */
  private async review(i: Incident) {
    const { pulls, settings } = this.services
    let p = proposalOf(i)!
    if (pulls && !p.prUrl && p.commit) {
      try {
        const pr = await pulls.ensure({ head: p.branch, base: settings.gitops.branch, title: `fix: ${p.tenant}/${p.service} ${p.title}`, body: pullRequestBody(i, i.analysis as Analysis, p, `${settings.baseUrl}/console/incidents/${i.id}`) })
        p = { ...p, prUrl: pr.url, prNumber: pr.number }
      }
      catch (err) { note(this.services.db, i, `No pull request: ${errorMessage(err)}`) }
    }
    return this.told(i, 'review', `Waiting for approval of the fix by ${p.skill} (${Math.round(p.confidence * 100)}% confidence): ${p.title}`, { proposal: { ...p } })
  }

  /**
   * Posts the incident to its tenant's chat, then moves it on. In this order so a crash in
   * between cannot lose the post; the message id is kept on the incident, so it is never
   * posted twice either.
   */
  private async told(i: Incident, to: Incident['stage'], reason: string, set: Partial<Incident>) {
    await announce(this.services, { ...i, ...set, stage: to, stageReason: reason })
    return transition(this.services.db, i, to, reason, set)
  }

  private async apply(i: Incident) {
    const { db, engine, directory, settings, repo } = this.services
    const p = proposalOf(i)!
    let op = p.operationId ? engine.get(p.operationId) : applyOperationOf(this.services, i.id)
    if (!op) {
      // Approved, then a crash before the operation was written: submit it now for the same person.
      const identity = directory.identityOf(p.decidedBy ?? AGENT_USER, 'session')
      if (!identity) return transition(db, i, 'withdraw', `The approver ${p.decidedBy} is no longer a user: the fix was not applied`, { outcome: 'failed', proposal: withProposal(i, { state: 'failed' }) })
      op = submitApply(this.services, i, { identity, client: p.decidedVia ?? 'agent' })
      return db.update(incidents).set({ proposal: withProposal(i, { operationId: op.id }) }).where(eq(incidents.id, i.id)).returning().get()!
    }
    if (!isFinished(op)) return i
    if (op.status !== 'succeeded')
      return transition(db, i, 'withdraw', `Applying the fix failed: ${op.error ?? op.status}`, { outcome: 'failed', proposal: withProposal(i, { state: 'failed', operationId: op.id }) })

    await repo.deleteBranch(p.branch)
    const sha = op.commitSha
    if (this.services.pulls && p.prNumber)
      await this.bestEffort(i, 'comment on the pull request', () => this.services.pulls!.comment(p.prNumber!, sha ? `Merged into ${settings.gitops.branch} as ${sha} by MCTL after approval by ${p.decidedBy} (${p.decidedVia}).` : `Not needed any more: ${settings.gitops.branch} already has this change.`))
    const until = new Date(Date.now() + settings.agent.verifySeconds * 1000).toISOString()
    const done = sha ? `Fix merged as ${sha.slice(0, 12)}` : p.commit ? `${settings.gitops.branch} already had the fix` : 'Argo CD was asked to sync the service back to git'
    const reason = `${done}; verifying until ${until} that the alert resolves`
    const row = transition(db, i, 'verify', reason, { verifyUntil: until, proposal: withProposal(i, { state: 'merged', mergedCommit: sha, operationId: op.id }) })
    if (row) await update(this.services, row, `✅ Approved by ${p.decidedBy} via ${p.decidedVia}; ${reason}`)
    return row
  }

  /** A proposal that will not be applied: its branch and pull request go, the reason stays. */
  private async withdraw(i: Incident) {
    const p = proposalOf(i)
    if (p) {
      await this.services.repo.deleteBranch(p.branch)
      if (this.services.pulls && p.prNumber) await this.bestEffort(i, 'close the pull request', () => this.services.pulls!.close(p.prNumber!, `Closed by MCTL: ${i.stageReason}`))
    }
    const row = transition(this.services.db, i, 'done', i.stageReason ?? 'Withdrawn', {}, undefined, `Branch ${p?.branch ?? '(none)'} deleted: ${i.stageReason}`)
    if (row) await update(this.services, row, i.outcome === 'rejected' ? `❌ ${i.stageReason}` : `⚠️ ${i.stageReason}`)
    return row
  }

  private async verify(i: Incident) {
    const { db, settings } = this.services
    const p = proposalOf(i)
    const commit = p?.mergedCommit?.slice(0, 12) ?? 'none'
    if (i.status === 'resolved') {
      const row = transition(db, i, 'done', `Resolved: the alert stopped firing after the fix (commit ${commit}) was applied`, { outcome: 'resolved' })
      if (row) await update(this.services, row, `✅ Resolved after the fix (${commit})`)
      return row
    }
    if (Date.now() < Date.parse(i.verifyUntil ?? '')) return i
    const window = settings.agent.verifySeconds >= 120 ? `${Math.round(settings.agent.verifySeconds / 60)} min` : `${settings.agent.verifySeconds} s`
    const row = transition(db, i, 'done', `Escalated: still firing ${window} after the fix (commit ${commit}) was applied; the incident is open again and needs a person`, {
      outcome: 'escalated', status: 'firing', acknowledgedBy: null, acknowledgedAt: null,
    })
    if (row) {
      await escalate(this.services, row)
      await update(this.services, row, `⚠️ ${row.stageReason}`)
    }
    return row
  }

  private async bestEffort(i: Incident, what: string, fn: () => Promise<void>) {
    try { await fn() }
    catch (err) { note(this.services.db, i, `Could not ${what}: ${errorMessage(err)}`) }
  }

  /** A stage threw: try again on the next pass, and after a few tries give up saying why. */
  private failed(i: Incident, err: unknown) {
    const { db, logger } = this.services
    const attempts = i.agentAttempts + 1
    const message = errorMessage(err)
    logger.warn('agent.stage_failed', { incident: i.id, stage: i.stage, attempt: attempts, error: message })
    if (attempts < MAX_ATTEMPTS) {
      db.update(incidents).set({ agentAttempts: attempts }).where(eq(incidents.id, i.id)).run()
      note(db, i, `${i.stage} failed (attempt ${attempts} of ${MAX_ATTEMPTS}, will retry): ${message}`)
      return
    }
    const reason = `The agent gave up at stage ${i.stage} after ${attempts} failed attempts: ${message}`
    const p = proposalOf(i)
    if (p?.commit && i.stage !== 'withdraw' && p.state !== 'merged') transition(db, i, 'withdraw', reason, { outcome: 'failed', proposal: withProposal(i, { state: 'failed' }) })
    else transition(db, i, 'done', reason, { outcome: 'failed' })
  }
}

/** "Why did the agent not act?" in one paragraph: refusals and findings first, then what each skill said. */
export function noFixReason(verdicts: SkillVerdict[], problems: string[]): string {
  const telling = verdicts.filter(v => v.result !== 'skipped').map(v => `${v.skill} ${v.result === 'reported' ? 'reports' : v.result}: ${v.reason}`)
  const skipped = verdicts.filter(v => v.result === 'skipped').map(v => `${v.skill}: ${v.reason}`)
  return [
    'No fix proposed.',
    ...telling.map(t => `${t}.`),
    skipped.length ? `No skill applies (${skipped.join('; ')}).` : '',
    problems.length ? `Skill files ignored: ${problems.join('; ')}.` : '',
  ].filter(Boolean).join(' ')
}
