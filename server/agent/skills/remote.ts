import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { answerReason, callHttp } from '../../adapters/http'
import type { SecretStore } from '../../adapters/secrets/types'
import { secretStoreKey } from '../../gitops/names'
import type { Settings } from '../../settings'
import { ServicePatch } from '../patch'
import type { Skill, SkillAnswer, SkillInput } from './types'

/** The answer of a remote skill: a proposed change, or none with the reason. */
const RemoteAnswer = z.object({
  proposal: z.object({
    title: z.string().min(1).max(200),
    reason: z.string().min(1).max(2000),
    confidence: z.number().min(0).max(1),
    change: ServicePatch,
  }).nullable(),
  reason: z.string().max(2000).optional(),
})

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: the body and its time, so a capture cannot be replayed later. */
export function signature(secret: string, timestamp: string, body: string) {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

interface Endpoint { url: string, secret: string, timeoutMs: number }

/**
 * The incident, its evidence and the service (env names only) posted to an external agent as
 * a signed webhook; its answer is validated like a YAML skill's change and then goes through
 * the same renderer and policy check.
 */
async function askRemote(e: Endpoint, { incident, evidence, analysis, tenant, service, spec }: SkillInput): Promise<SkillAnswer> {
  const { env: _values, ...shown } = spec
  const payload = {
    version: 1,
    incident: { id: incident.id, alertname: incident.alertname, severity: incident.severity, type: incident.type, summary: incident.summary, labels: incident.labels, annotations: incident.annotations, startsAt: incident.startsAt },
    service: { tenant, name: service, spec: { ...shown, envNames: Object.keys(spec.env).sort() } },
    evidence,
    analysis,
  }
  // callHttp sends JSON.stringify(payload): the same bytes as signed here.
  const body = JSON.stringify(payload)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const answer = await callHttp('remote skill', e.url, {
    method: 'POST',
    headers: { 'x-mctl-timestamp': timestamp, 'x-mctl-signature': signature(e.secret, timestamp, body) },
    body: payload,
    timeoutMs: e.timeoutMs,
  })
  if (answer.status === 204) return { kind: 'skip', reason: 'the remote skill has no proposal' }
  if (answer.status !== 200) throw new Error(`the remote skill answered ${answerReason(answer)}`)
  const parsed = RemoteAnswer.safeParse(answer.body)
  if (!parsed.success) throw new Error(`the remote skill's answer is invalid: ${parsed.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  const p = parsed.data.proposal
  if (!p) return { kind: 'skip', reason: parsed.data.reason ?? 'the remote skill has no proposal' }
  return { kind: 'propose', title: p.title, reason: p.reason, confidence: p.confidence, patch: p.change }
}

/** The global remote skill (`NUXT_AGENT_SKILLS_URL`): every tenant's incidents nothing else fixes. */
export function remoteSkill(s: Settings['agent']['skills']): Skill | null {
  if (!s.url) return null
  return {
    name: 'remote',
    source: 'remote',
    description: `Remote skill at ${new URL(s.url).host} (HMAC-SHA256-signed webhook)`,
    run: input => askRemote({ url: s.url, secret: s.secret, timeoutMs: s.timeoutMs }, input),
  }
}

/**
 * The tenant's own agent (`agent` in tenant.yaml): asked only for that tenant's incidents,
 * before the global remote skill. The key is read from the secret store at each request
 * (never from git); without one nothing is sent.
 */
export function tenantAgentSkill(secrets: SecretStore): Skill {
  return {
    name: 'tenant-agent',
    source: 'remote',
    description: 'The tenant\'s own agent named in tenant.yaml (agent.webhookUrl), HMAC-SHA256-signed with the key in the secret store',
    async run(input) {
      const agent = input.tenantSpec.agent
      if (!agent) return { kind: 'skip', reason: `tenant "${input.tenant}" names no agent of its own (agent.webhookUrl in tenant.yaml)` }
      const { service, name } = agent.secretRef
      const secret = await secrets.value(secretStoreKey(input.tenant, service), name)
      if (!secret) throw new Error(`the signing key of the tenant's agent is not set: secret env var ${name} of service ${input.tenant}/${service} (agent.secretRef in tenant.yaml)`)
      return askRemote({ url: agent.webhookUrl, secret, timeoutMs: agent.timeoutMs }, input)
    },
  }
}
