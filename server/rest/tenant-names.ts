import type { H3Event } from 'h3'
import { tenantNameProblem } from '../../shared/utils/names'
import type { Services } from '../services'
import { requestIdentity } from '../auth/web'
import { tenantNameTaken } from '../domain/tenants/ownership'
import { invalidField } from '../utils/errors'
import { errorResponse } from '../utils/http'
import { errorResponse as errorSpec } from './openapi'

/**
 * GET /api/v1/tenant-names/{name}: whether a new tenant could take this name, for the
 * console's create form. A tenant the caller may not see answers 404 like one that does not
 * exist, so this is where a taken name shows: it tells only that (as creating it would), not
 * whose it is. Any signed-in caller; counted as a read call.
 */
export async function tenantNameAvailability(event: H3Event, services: Services, name: string) {
  try {
    const identity = await requestIdentity(event, services)
    services.limits.take(`read:${identity.userId}`, services.settings.rateLimit.readsPerMinute, 'read calls')
    const problem = tenantNameProblem(name)
    if (problem) throw invalidField('name', problem)
    return { name, available: !tenantNameTaken(services.index, services.db, name) }
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('rest.tenant_name_failed', { error: String(e) }))
  }
}

/** The route in the OpenAPI document (it is not a tool, so the registry does not list it). */
export function tenantNamesOpenApi(): Record<string, Record<string, unknown>> {
  return {
    '/api/v1/tenant-names/{name}': {
      get: {
        operationId: 'check_tenant_name',
        summary: 'Check whether a tenant name is available',
        description: 'Whether a new tenant could take this name: false when a tenant of that name exists or is being created, whoever it belongs to (and nothing more about it).',
        tags: ['tenants'],
        parameters: [{ name: 'name', in: 'path', required: true, description: 'The tenant name (a DNS label)', schema: { type: 'string' } }],
        responses: {
          200: { description: 'The name and whether it is available', content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, available: { type: 'boolean' } }, required: ['name', 'available'], additionalProperties: false } } } },
          400: errorSpec('Not a valid tenant name (the rule is named)'),
          401: errorSpec('Missing or invalid token'),
          429: errorSpec('Rate limit reached; see Retry-After'),
        },
        'x-mctl-access': 'authenticated',
      },
    },
  }
}
