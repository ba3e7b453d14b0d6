import { mcpMethodNotAllowed } from '../mcp/transport'

export default defineEventHandler(mcpMethodNotAllowed)
