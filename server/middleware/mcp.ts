import { acceptsHtml, mcpMethodNotAllowed } from '../mcp/transport'

/**
 * GET /mcp serves two audiences on one URL: a browser (Accept: text/html) gets the connect
 * page (pages/mcp.vue, rendered by Nuxt); an MCP client gets the 405 of a stateless endpoint.
 * A middleware rather than a route file: a GET route for /mcp would always win over the page
 * renderer, while here the HTML request simply falls through to it. POST is untouched.
 */
export default defineEventHandler((event) => {
  if (event.method !== 'GET' && event.method !== 'HEAD') return
  const path = event.path.split('?')[0]
  if (path !== '/mcp' && path !== '/mcp/') return
  if (!acceptsHtml(event)) return mcpMethodNotAllowed(event)
})
