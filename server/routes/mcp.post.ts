import { useServices } from '../app'
import { handleMcpPost } from '../mcp/transport'

export default defineEventHandler(async event => handleMcpPost(event, await useServices()))
