import type { H3Event } from 'h3'
import { getRequestURL, setResponseHeader, setResponseStatus } from 'h3'
import type { Services } from '../../services'

/**
 * Every /.well-known/* path answers JSON, never the HTML app (AUTH.md):
 * - RFC 9728 protected resource metadata for /mcp (also at the bare path, where clients of
 *   older MCP revisions look) and /api/v1;
 * - RFC 8414 and OIDC discovery, both served by oidc-provider (the issuer is the base URL, so
 *   no path-inserted variants are needed);
 * - 404 JSON for anything else.
 */
export async function handleWellKnown(event: H3Event, services: Services) {
  const path = getRequestURL(event).pathname.replace(/\/+$/, '')
  setResponseHeader(event, 'content-type', 'application/json')
  setResponseHeader(event, 'access-control-allow-origin', '*')
  const { oauth } = services
  switch (path) {
    case '/.well-known/oauth-protected-resource':
    case '/.well-known/oauth-protected-resource/mcp':
      return oauth.resourceMetadata(oauth.resources.mcp)
    case '/.well-known/oauth-protected-resource/api/v1':
      return oauth.resourceMetadata(oauth.resources.api)
    case '/.well-known/oauth-authorization-server':
    case '/.well-known/openid-configuration':
      // One document serves both: RFC 8414 metadata is a subset of OIDC discovery.
      event.node.req.url = '/.well-known/openid-configuration'
      return oauth.handle(event)
    default:
      setResponseStatus(event, 404)
      return { error: `Nothing is published at ${path}`, published: WELL_KNOWN }
  }
}

const WELL_KNOWN = [
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-protected-resource/api/v1',
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
]
