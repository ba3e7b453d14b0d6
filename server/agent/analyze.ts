import type { LanguageModel } from '../adapters/anthropic'
import type { Incident } from '../db/schema'
import { errorMessage } from '../utils/errors'
import type { Evidence } from './evidence'
import type { Analysis } from '../domain/incidents/model'
import { redactor } from './redact'

const minutes = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000)

/** The built-in rules: facts from the evidence in words, most telling first. */
export function findings(incident: Incident, e: Evidence): { summary: string, findings: string[] } {
  const out: string[] = []
  const t = e.lastTermination
  if (t) out.push(`Pod ${t.pod} last terminated: ${t.reason} (exit code ${t.exitCode})${t.finishedAt ? ` at ${t.finishedAt}` : ''}${e.service ? `; memory limit ${e.service.resources.limits.memory}` : ''}`)
  if (e.pods) {
    const ready = e.pods.filter(p => p.ready).length
    out.push(`${ready} of ${e.pods.length} pod(s) ready`)
    for (const p of e.pods.filter(p => p.waitingReason)) out.push(`Pod ${p.name} is waiting: ${p.waitingReason} (${p.restarts} restarts)`)
  }
  for (const ev of e.events ?? []) out.push(`Warning ${ev.reason} on ${ev.object} (${ev.count}×): ${ev.message.slice(0, 200)}`)
  if (e.argocd) out.push(`Argo CD: ${e.argocd.syncStatus}, ${e.argocd.healthStatus}${e.argocd.message ? ` (${e.argocd.message})` : ''}`)
  const [current, previous] = e.deploys
  if (current) {
    const ago = minutes(current.time, incident.startsAt)
    out.push(`Running ${current.image}, deployed ${current.time} by ${current.author}${ago >= 0 ? ` (${ago} min before the alert)` : ''}${previous ? `; before it ${previous.image}` : ''}`)
  }
  if (e.quota) {
    const q = e.quota
    out.push(`Tenant quota: at full scale the services request ${q.desired.cpu} CPU of ${q.allocated.cpu}, ${q.desired.memory} memory of ${q.allocated.memory}, ${q.desired.pods} pod(s) of ${q.allocated.pods}`)
  }
  if (e.logs) {
    const errors = e.logs.lines.filter(l => /\b(error|exception|fatal|panic|out of memory|oom)\b/i.test(l.line))
    out.push(`${e.logs.lines.length} log line(s) in the last hour from ${e.logs.source}${errors.length ? `, ${errors.length} mention errors; newest: "${errors[0]!.line.slice(0, 160)}"` : ''}`)
  }
  for (const note of e.notes) out.push(`Not known: ${note}`)

  const crashing = e.pods?.find(p => p.waitingReason === 'CrashLoopBackOff')
  const summary = t?.reason === 'OOMKilled'
    ? `${incident.service ?? 'The service'} ran out of memory: pod ${t.pod} was OOMKilled`
    : crashing ? `Pod ${crashing.name} is crash-looping (${crashing.restarts} restarts)${t ? `, last exit: ${t.reason}` : ''}`
      : e.pods && e.pods.some(p => !p.ready) ? `${e.pods.filter(p => !p.ready).length} pod(s) of ${incident.service} are not ready`
        : e.argocd?.syncStatus === 'OutOfSync' ? `The cluster has drifted from git: Argo CD reports ${e.argocd.syncStatus}`
          : e.service ? `No anomaly in the pods of ${incident.service}; the alert says: ${incident.summary}`
            : `Nothing in the GitOps repository to look at: ${e.notes[0] ?? 'no service'}`
  return { summary, findings: out }
}

const SYSTEM = [
  'You are the analysis step of MCTL, a Kubernetes platform control plane, looking at one alert.',
  'You get the alert, the service\'s desired state from git and evidence gathered from the cluster, git history and logs.',
  'Answer in at most 8 short sentences: the most likely cause, what in the evidence supports it, and what a person should check next.',
  'You cannot act; other parts of MCTL propose changes and people approve them. Do not invent facts that are not in the evidence.',
].join(' ')

/** The prompt: only evidence and the alert, with anything that looks secret masked once more. */
export function prompt(incident: Incident, evidence: Evidence, rules: { summary: string, findings: string[] }): string {
  const clean = redactor()
  return clean(JSON.stringify({
    alert: { name: incident.alertname, severity: incident.severity, type: incident.type, summary: incident.summary, labels: incident.labels, annotations: incident.annotations, startsAt: incident.startsAt, occurrences: incident.occurrences },
    tenant: incident.tenant,
    service: incident.service,
    rules,
    evidence,
  }, null, 1))
}

/** The optional language-model analysis: a failure is a note, the rules stand alone. */
export async function llmAnalysis(model: LanguageModel | null, incident: Incident, evidence: Evidence, rules: { summary: string, findings: string[] }): Promise<Pick<Analysis, 'llm' | 'llmNote'>> {
  if (!model) return { llm: null, llmNote: 'No language model configured (NUXT_ANTHROPIC_API_KEY): the built-in rules analysed this incident' }
  try {
    return { llm: { model: model.model, text: await model.complete(SYSTEM, prompt(incident, evidence, rules)) }, llmNote: null }
  }
  catch (err) {
    return { llm: null, llmNote: `The language model analysis failed: ${errorMessage(err)}` }
  }
}
