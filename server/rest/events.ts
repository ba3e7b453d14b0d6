import type { H3Event } from 'h3'
import { createEventStream } from 'h3'
import type { Operation } from '../db/schema'
import { isFinished } from '../operations/engine'
import type { Services } from '../services'
import { callerOf, clientKind, requestIdentity } from '../auth/web'
import type { ToolContext } from '../tools/define'
import { invokeTool } from '../tools/invoke'
import { errorResponse } from '../utils/http'
import { errorResponse as errorSpec } from './openapi'

const TOOL = 'mctl_get_workflow_status'

/**
 * GET /api/v1/workflows/{workflow_name}/events: one operation's progress as server-sent
 * events. Each `snapshot` event is mctl_get_workflow_status's answer, sent at once and again
 * whenever the engine stores a change (status, step, log line); the stream ends after the
 * snapshot of a finished operation. The first answer goes through the tool itself, so
 * authentication, the access rule and the rate limit are the tool's, and a refusal is the
 * usual JSON error before any event.
 */
export async function streamWorkflow(event: H3Event, services: Services, workflowName: string) {
  const tool = services.tools.find(t => t.name === TOOL)!
  const input = { workflow_name: workflowName }
  let ctx: ToolContext, first: Record<string, unknown>
  try {
    const identity = await requestIdentity(event, services)
    const caller = callerOf(event, identity, clientKind(identity), services.settings.trustProxy)
    first = await invokeTool(tool, input, caller, services)
    ctx = { ...caller, services, tool }
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('rest.events_failed', { error: String(e) }))
  }

  const stream = createEventStream(event)
  let last = ''
  let scheduled = false
  const finished = (snapshot: Record<string, unknown>) => isFinished(snapshot as { status: Operation['status'] })
  const send = async (snapshot: Record<string, unknown>) => {
    const data = JSON.stringify(snapshot)
    if (data !== last) await stream.push({ event: 'snapshot', data })
    last = data
    if (finished(snapshot)) await stream.close()
  }
  // Changes come in bursts (a step starts and logs in the same tick): one snapshot per burst.
  const refresh = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      tool.handler(ctx, input).then(send, (err) => {
        services.logger.error('rest.events_failed', { error: String(err) })
        return stream.close()
      })
    })
  }
  void send(first)
  if (!finished(first)) {
    stream.onClosed(services.engine.watch(String(first.operationId), refresh))
    // Whatever changed between the first answer and the subscription is sent now.
    refresh()
  }
  return stream.send()
}

/** The events route in the OpenAPI document (it is not a tool, so the registry does not list it). */
export function eventsOpenApi(): Record<string, Record<string, unknown>> {
  return {
    '/api/v1/workflows/{workflow_name}/events': {
      get: {
        operationId: 'stream_workflow_events',
        summary: 'Follow an operation live',
        description: 'Server-sent events (text/event-stream). Each `snapshot` event carries, as JSON, the answer of mctl_get_workflow_status (GET /api/v1/workflows/{workflow_name}): status, steps, log tail, commit, result or error. The first comes at once, the next after every stored change; the stream ends after the snapshot of a finished operation (succeeded, failed or cancelled). Same token, access rule and rate limit as mctl_get_workflow_status; refusals are JSON errors before any event.',
        tags: ['operations'],
        parameters: [{ name: 'workflow_name', in: 'path', required: true, description: 'Workflow name (e.g. create-tenant-3f9a1c2e) or operation id (op_…)', schema: { type: 'string' } }],
        responses: {
          200: { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: errorSpec('Missing or invalid token'),
          403: errorSpec('A token with neither the read nor the write scope'),
          404: errorSpec('Workflow not found (also a run of a tenant the caller may not see and did not ask for)'),
          429: errorSpec('Rate limit reached; see Retry-After'),
        },
        'x-mctl-access': 'member',
      },
    },
  }
}
