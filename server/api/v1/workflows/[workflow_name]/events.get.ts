import { useServices } from '../../../../app'
import { streamWorkflow } from '../../../../rest/events'

// An operation's live progress (server-sent events) for the console and scripts.
export default defineEventHandler(async event => streamWorkflow(event, await useServices(), getRouterParam(event, 'workflow_name') ?? ''))
