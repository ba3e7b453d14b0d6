import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { answerReason, callHttp } from '../../adapters/http'
import type { Settings } from '../../settings'
import { ServicePatch } from '../patch'
import type { Skill } from './types'

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

/**
 * A remote skill: the incident, its evidence and the service (env names only) posted to an
 * external agent as a signed webhook; its answer is validated like a YAML skill's change and
 * then goes through the same renderer and policy check.
 */
export function remoteSkill(s: Settings['agent']['skills']): Skill | null {
  if (!s.url) return null
  return {
    name: 'remote',
    source: 'remote',
    description: `Remote skill at ${new URL(s.url).host} (HMAC-SHA256-signed webhook)`,
    async run({ incident, evidence, analysis, tenant, service, spec }) {
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
      const answer = await callHttp('remote skill', s.url, {
        method: 'POST',
        headers: { 'x-mctl-timestamp': timestamp, 'x-mctl-signature': signature(s.secret, timestamp, body) },
        body: payload,
        timeoutMs: s.timeoutMs,
      })
      if (answer.status === 204) return { kind: 'skip', reason: 'the remote skill has no proposal' }
      if (answer.status !== 200) throw new Error(`the remote skill answered ${answerReason(answer)}`)
      const parsed = RemoteAnswer.safeParse(answer.body)
      if (!parsed.success) throw new Error(`the remote skill's answer is invalid: ${parsed.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
      const p = parsed.data.proposal
      if (!p) return { kind: 'skip', reason: parsed.data.reason ?? 'the remote skill has no proposal' }
      return { kind: 'propose', title: p.title, reason: p.reason, confidence: p.confidence, patch: p.change }
    },
  }
}
