import type { H3Event } from 'h3'
import { getRouterParam, setResponseStatus } from 'h3'
import { z } from 'zod'
import type { Services } from '../services'
import { history } from '../domain/incidents/state'
import { errorResponse } from '../rest/openapi'
import { IncidentDetail } from '../domain/incidents/schemas'
import { incidentDetail } from '../domain/incidents/store'
import { toJsonSchema } from '../utils/json-schema'
import { validationError } from '../utils/errors'
import { readJson } from '../utils/http'
import { callerOf, clientKind, requestIdentity } from '../auth/web'
import { decide, type Verdict } from './review'

const Body = z.object({ reason: z.string().min(1).max(1000).optional().describe('Why (kept with the decision)') }).strict()

/** POST /api/v1/incidents/{id}/approve|reject: bearer token or the console's session, then the one decision path. */
export async function decideOverHttp(event: H3Event, services: Services, verdict: Verdict) {
  const identity = await requestIdentity(event, services)
  const body = Body.safeParse((await readJson(event)) ?? {})
  if (!body.success) throw validationError(body.error)
  const caller = callerOf(event, identity, clientKind(identity), services.settings.trustProxy)
  const incident = await decide(services, getRouterParam(event, 'id') ?? '', verdict, { identity, client: caller.client, ip: caller.ip }, body.data.reason)
  // Approving starts the apply-fix operation (proposal.operationId): accepted, not done.
  setResponseStatus(event, verdict === 'approve' ? 202 : 200)
  return incidentDetail(incident, history(services.db, incident.id))
}

/** GET /api/v1/agent/skills: what the console shows as the agent's skills, with broken files named. */
export async function listSkills(services: Services) {
  await services.index.refresh()
  const { skills, problems } = await services.agent.skills.at(services.index.sha!)
  return { skills: skills.map(s => ({ name: s.name, source: s.source, description: s.description })), problems }
}

/** The hand-written agent routes in the OpenAPI document, for the console and scripts. */
export function agentOpenApi(): Record<string, Record<string, unknown>> {
  const decision = (verdict: Verdict, summary: string, description: string) => ({
    post: {
      operationId: `${verdict}_incident_fix`,
      summary,
      description,
      tags: ['incidents'],
      parameters: [{ name: 'id', in: 'path', required: true, description: 'INC-<number>, the incident id or a prefix of at least 8 characters', schema: { type: 'string' } }],
      requestBody: { required: false, content: { 'application/json': { schema: toJsonSchema(Body, 'input') } } },
      responses: {
        [verdict === 'approve' ? 202 : 200]: { description: 'The incident after the decision', content: { 'application/json': { schema: toJsonSchema(IncidentDetail, 'output') } } },
        400: errorResponse('Invalid input'),
        401: errorResponse('Missing or invalid token'),
        403: errorResponse('A member of the tenant who is not an owner (nor an admin), or a read-only token'),
        404: errorResponse('Incident not found (also an incident of a tenant the caller may not see)'),
        409: errorResponse('No fix waiting for review (with who decided already)'),
      },
      'x-mctl-access': 'owner',
    },
  })
  return {
    '/api/v1/incidents/{id}/approve': decision('approve', 'Approve an incident\'s fix', 'Merges the proposed fix into the main branch through the write path (the apply-fix operation); the incident then waits for the alert to resolve within the verification window.'),
    '/api/v1/incidents/{id}/reject': decision('reject', 'Reject an incident\'s fix', 'Leaves the main branch untouched; the fix branch is deleted and its pull request closed.'),
    '/api/v1/agent/skills': {
      get: {
        operationId: 'list_agent_skills',
        summary: 'List the agent\'s skills',
        description: 'The skills the incident agent asks, in order (YAML from platform/skills, built-in, remote), and the YAML skill files it could not use with the file and field.',
        tags: ['incidents'],
        responses: { 200: { description: 'OK' }, 401: errorResponse('Missing or invalid token') },
        'x-mctl-access': 'authenticated',
      },
    },
  }
}
