import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../../shared/utils/quantity'
import { demandOf, maxPods } from '../../gitops/quota'
import type { ServicePatch } from '../patch'
import { skip, type Skill, type SkillInput } from './types'

const HOUR = 3600_000
const recentDeploy = ({ evidence, spec, incident }: SkillInput) => {
  const image = `${spec.image.repository}:${spec.image.tag}`
  const current = evidence.deploys.find(d => d.image === image)
  return current && Date.parse(incident.startsAt) - Date.parse(current.time) < 24 * HOUR ? current : undefined
}
const crashing = ({ evidence }: SkillInput) => evidence.lastTermination?.reason === 'OOMKilled' || !!evidence.pods?.some(p => p.waitingReason === 'CrashLoopBackOff')

const OOM_RELATED = ['oom', 'memory', 'crashloop', 'probe', 'errors', 'other']

/** OOMKilled: double the memory limit (never past the tenant quota), the request in step. */
const memoryRaise: Skill = {
  name: 'memory-raise',
  source: 'built-in',
  description: 'After an OOMKilled termination: double the memory limit (at most the tenant memory quota), raising the request in proportion',
  run({ evidence, incident, spec, tenantSpec }) {
    // A pod's last termination stays on it for days: it explains crashes and errors, not a full disk.
    if (!OOM_RELATED.includes(incident.type)) return skip(`a "${incident.type}" alert is not about memory`)
    const oom = evidence.lastTermination?.reason === 'OOMKilled' ? evidence.lastTermination : null
    const unconfirmed = !oom && incident.type === 'oom' && evidence.pods === null
    if (!oom && !unconfirmed) return skip(incident.type === 'oom' ? 'the alert names an OOM kill, but no pod shows an OOMKilled termination' : 'no pod was OOMKilled')
    const { limits, requests } = spec.resources
    const limit = memoryBytes(limits.memory)!
    const cap = memoryBytes(tenantSpec.quotas.memory)!
    const raised = Math.min(limit * 2, cap)
    if (raised <= limit) return skip(`the memory limit ${limits.memory} is already the whole tenant memory quota (${tenantSpec.quotas.memory})`)
    const mi = 2 ** 20
    const request = Math.min(raised, Math.ceil((memoryBytes(requests.memory)! * raised / limit) / mi) * mi)
    return {
      kind: 'propose',
      title: `raise the memory limit ${limits.memory} → ${formatMemory(raised)}`,
      reason: `${oom ? `pod ${oom.pod} was OOMKilled (exit code ${oom.exitCode})` : 'the alert reports an OOM kill (no cluster connected to confirm it)'} with a limit of ${limits.memory}; the request grows in proportion (${requests.memory} → ${formatMemory(request)}) so the scheduler reserves the memory`,
      confidence: oom ? 0.85 : 0.55,
      patch: { resources: { limits: { memory: formatMemory(raised) }, requests: { memory: formatMemory(request) } } },
    }
  },
}

/** A failure soon after a deploy: back to the image that ran before it. */
const rollback: Skill = {
  name: 'rollback',
  source: 'built-in',
  description: 'Errors, crashes or failing probes within 24 h of a deploy: roll back to the tag that ran before it (the last healthy one)',
  run(input) {
    const { incident, evidence, spec } = input
    if (!['crashloop', 'errors', 'probe', 'latency', 'other'].includes(incident.type)) return skip(`a rollback does not fit a "${incident.type}" alert`)
    const current = recentDeploy(input)
    if (!current) return skip(`${spec.image.tag} was not deployed in the 24 h before the alert: a rollback is unlikely to help`)
    const previous = evidence.deploys.slice(evidence.deploys.indexOf(current) + 1).find(d => d.image !== current.image)
    if (!previous) return skip('there is no earlier deploy in the git history to roll back to')
    if (!previous.image.startsWith(`${spec.image.repository}:`)) return skip(`the earlier deploy ran another image repository (${previous.image})`)
    const soon = Date.parse(incident.startsAt) - Date.parse(current.time) < HOUR
    return {
      kind: 'propose',
      title: `roll back ${current.tag} → ${previous.tag}`,
      reason: `${current.tag} was deployed ${current.time} by ${current.author}, ${soon ? 'less than an hour' : 'less than a day'} before the alert; ${previous.tag} ran before it`,
      confidence: soon ? 0.75 : 0.6,
      patch: { image: { tag: previous.tag } },
    }
  },
}

const HEALTH_PATHS = ['/healthz', '/health', '/livez', '/readyz', '/ready', '/status', '/ping', '/_health', '/health/live', '/health/ready']
const REQUEST = /\b(?:GET|HEAD)\s+(\/\S*?)(?:\s+HTTP\/[\d.]+)?"?\s+(\d{3})\b/

/** The probe path answers 404 while another health path answers 200: point the probes there. */
const probeFix: Skill = {
  name: 'probe-fix',
  source: 'built-in',
  description: 'Failing probes where the logs show the health check path answering 404 and another health path answering 200: use that path',
  run({ incident, evidence, spec }) {
    if (spec.componentType !== 'web') return skip('workers have no HTTP probes')
    if (incident.type !== 'probe' && !evidence.pods?.some(p => !p.ready && !p.waitingReason)) return skip('no probe is failing')
    const seen = (evidence.logs?.lines ?? []).map(l => REQUEST.exec(l.line)).filter(m => m !== null).map(m => ({ path: m![1]!.split('?')[0]!, status: Number(m![2]) }))
    if (!seen.some(r => r.path === spec.healthCheckPath && r.status === 404)) return skip(`no log line shows ${spec.healthCheckPath} answering 404`)
    const found = HEALTH_PATHS.find(p => p !== spec.healthCheckPath && seen.some(r => r.path === p && r.status === 200))
    if (!found) return skip(`${spec.healthCheckPath} answers 404, but no other health path answers 200 in the logs`)
    return {
      kind: 'propose',
      title: `point the probes at ${found} (was ${spec.healthCheckPath})`,
      reason: `the logs show ${spec.healthCheckPath} answering 404 and ${found} answering 200`,
      confidence: 0.6,
      patch: { healthCheckPath: found },
    }
  },
}

/** Latency or CPU pressure on healthy pods: more of them, as far as the pod quota goes. */
const scaleOut: Skill = {
  name: 'scale-out',
  source: 'built-in',
  description: 'Latency, CPU or error alerts on healthy pods: about 50 % more replicas (or HPA maximum), within the tenant pod quota',
  run({ incident, spec, tenantSpec, index, tenant, service }) {
    if (!['latency', 'cpu', 'errors'].includes(incident.type)) return skip(`scaling out does not fit a "${incident.type}" alert`)
    const others = demandOf(index.servicesOf(tenant).filter(s => s.name !== service).map(s => s.spec)).pods
    const room = tenantSpec.quotas.pods - others
    const now = maxPods(spec)
    if (now === 0) return skip('the service is paused (0 replicas): scaling it out is a decision for a person')
    const want = Math.min(room, now + Math.max(1, Math.ceil(now / 2)))
    if (want <= now) return skip(`no pod headroom: the tenant quota allows ${tenantSpec.quotas.pods} pods and the other services may use ${others}`)
    const what = spec.autoscaling ? `the autoscaling maximum ${now} → ${want}` : `${now} → ${want} replicas`
    return {
      kind: 'propose',
      title: `scale out: ${what}`,
      reason: `a ${incident.type} alert with no pod crashing suggests too little capacity; the tenant pod quota leaves room for ${room}`,
      confidence: 0.5,
      patch: spec.autoscaling ? { autoscaling: { maxReplicas: want } } : { replicas: want },
    }
  },
}
/** Crashing pods are not a capacity problem: scaling out would only add crashing pods. */
const scaleOutGuarded: Skill = { ...scaleOut, run: input => crashing(input) ? skip('pods are crashing: more of them would not help') : scaleOut.run(input) }

/** Pods stuck unready (or leaking memory) with no recent deploy: roll them. */
const restart: Skill = {
  name: 'restart',
  source: 'built-in',
  description: 'Pods stuck not ready, or a memory alert, with no deploy in the last 24 h: roll the pods (an annotation bump)',
  run(input) {
    const { incident, evidence } = input
    if (!['memory', 'probe', 'latency', 'other'].includes(incident.type)) return skip(`a restart does not fit a "${incident.type}" alert`)
    if (!evidence.pods) return skip('no pod status (no cluster connected): cannot tell whether pods are stuck')
    const stuck = evidence.pods.filter(p => !p.ready && !p.waitingReason)
    if (!stuck.length && incident.type !== 'memory') return skip('no pod is stuck: all are ready or crash-looping')
    if (recentDeploy(input)) return skip('the service was deployed less than 24 h before the alert: the deploy is the suspect, not the pods')
    return {
      kind: 'propose',
      title: 'restart the pods',
      reason: stuck.length ? `${stuck.length} pod(s) are running but not ready, with no recent deploy` : 'a memory alert with no recent deploy: a restart releases leaked memory',
      confidence: 0.35,
      patch: { restart: true },
    }
  },
}

/**
 * Argo CD shows resources changed in the cluster outside git (OutOfSync with a diff): propose
 * syncing the Application back to git, which reverts them — after approval, like any fix.
 */
const driftRevert: Skill = {
  name: 'drift-revert',
  source: 'built-in',
  description: 'Argo CD shows resources of the service changed outside git (OutOfSync): sync its Application back to git after approval, reverting the change',
  run({ evidence, tenant, service }) {
    const app = evidence.argocd
    if (!app) return skip('no Argo CD application status to compare with git')
    if (app.syncStatus !== 'OutOfSync') return skip(`Argo CD reports ${tenant}-${service} ${app.syncStatus}`)
    if (!app.outOfSync.length) return skip('Argo CD reports OutOfSync but names no resource that differs from git')
    return {
      kind: 'propose',
      title: `revert the out-of-band change: sync ${tenant}-${service} to git`,
      reason: `Argo CD shows ${app.outOfSync.join(', ')} changed in the cluster outside git (live revision ${app.revision?.slice(0, 12) ?? 'unknown'}, git head ${evidence.gitHead?.slice(0, 12) ?? 'unknown'}); a sync puts back what git says`,
      confidence: 0.6,
      patch: { sync: true },
    }
  },
}

/** The cluster does not run what git says: report it, since a git change would not apply either. */
const driftReport: Skill = {
  name: 'drift-report',
  source: 'built-in',
  description: 'Reports when Argo CD shows the service out of sync with git (a change in git would not reach the cluster)',
  run({ evidence, tenant, service }) {
    const app = evidence.argocd
    if (!app) return skip('no Argo CD application status to compare with git')
    if (app.syncStatus !== 'OutOfSync') return skip(`Argo CD reports ${tenant}-${service} ${app.syncStatus}`)
    return { kind: 'report', reason: `Argo CD reports ${tenant}-${service} OutOfSync (live revision ${app.revision?.slice(0, 12) ?? 'unknown'}, git head ${evidence.gitHead?.slice(0, 12) ?? 'unknown'}): the cluster does not run what git says, so find why it cannot sync first` }
  },
}

type QuotaField = 'cpu' | 'memory' | 'pods'
const QUOTA_FIELDS: Record<string, QuotaField> = { 'requests.cpu': 'cpu', 'cpu': 'cpu', 'requests.memory': 'memory', 'memory': 'memory', 'pods': 'pods' }
const QUOTA_AMOUNT: Record<QuotaField, [(q: string) => number | null, (n: number) => string | number]> = {
  cpu: [cpuMillis, formatCpu],
  memory: [memoryBytes, n => formatMemory(Math.ceil(n / 2 ** 20) * 2 ** 20)],
  pods: [Number, n => Math.ceil(n)],
}
/** `exceeded quota: q, requested: a=1,b=2, used: a=3,b=4, limited: a=4,b=4` → per resource name. */
const EXCEEDED = /exceeded quota: [^,]+, requested: (.+?), used: (.+?), limited: (.+?)$/
const amounts = (list: string) => new Map(list.split(',').map(kv => kv.trim().split('=') as [string, string]))

/**
 * Pods that cannot be created for "exceeded quota" (a ReplicaSet's FailedCreate event): raise
 * the tenant quotas that ran out by half (at least enough for the refused pod), never past the
 * platform's quotaLimits — the policy check holds the commit to them as well.
 */
const quotaRaise: Skill = {
  name: 'quota-raise',
  source: 'built-in',
  description: 'Pods refused for "exceeded quota" (Kubernetes events): raise the tenant quota that ran out by half, at most to the platform quotaLimits (mctl.yaml)',
  run({ evidence, tenantSpec, index, tenant }) {
    if (!evidence.events) return skip('no Kubernetes events (no cluster connected): cannot tell whether a quota refused pods')
    const refused = evidence.events.find(e => EXCEEDED.test(e.message))
    if (!refused) return skip('no event says a pod was refused for "exceeded quota"')
    const [, requested, used] = EXCEEDED.exec(refused.message)!.map(String)
    const asked = amounts(requested!)
    const now = amounts(used!)
    const limits = index.platform.quotaLimits
    const raise: Partial<Record<QuotaField, string | number>> = {}
    const atLimit: string[] = []
    for (const [resource, amount] of asked) {
      const field = QUOTA_FIELDS[resource]
      if (!field) continue
      const [parse, format] = QUOTA_AMOUNT[field]
      const current = parse(String(tenantSpec.quotas[field])) ?? 0
      const need = (parse(now.get(resource) ?? '0') ?? 0) + (parse(amount) ?? 0)
      if (need <= current) continue
      const want = Math.min(parse(String(limits[field])) ?? 0, Math.max(need, current * 1.5))
      if (want <= current) atLimit.push(`${field} ${tenantSpec.quotas[field]}`)
      else raise[field] = format(want)
    }
    const fields = Object.keys(raise) as QuotaField[]
    if (!fields.length) return skip(atLimit.length ? `the tenant quota (${atLimit.join(', ')}) is already the platform limit (mctl.yaml quotaLimits): raising it is a decision for a platform admin` : `the refused request fits the tenant quota now (${refused.message})`)
    return {
      kind: 'propose',
      title: `raise the tenant quota ${fields.map(f => `${f} ${tenantSpec.quotas[f]} → ${raise[f]}`).join(', ')}`,
      reason: `${refused.object} could not create pods (${refused.reason}, ${refused.count}×): ${refused.message}; the platform allows tenant "${tenant}" up to ${fields.map(f => `${limits[f]} ${f}`).join(', ')}`,
      confidence: 0.7,
      patch: { tenantQuotas: raise as ServicePatch['tenantQuotas'] },
    }
  },
}

/** In order: the first skill whose change passes policy is proposed. */
export const builtInSkills: Skill[] = [quotaRaise, memoryRaise, rollback, probeFix, scaleOutGuarded, restart, driftRevert, driftReport]
