import type { H3Event } from 'h3'
import type { Interaction } from 'oidc-provider'
import { AppError, notFound } from '../../utils/errors'
import type { OAuthServer } from '.'
import { SCOPES } from './provider'

export interface ConsentDetails {
  uid: string
  client: { id: string, name: string, redirectHost: string, metadataDocument: boolean }
  scopes: string[]
  resource: string
}

/**
 * The interaction behind /oauth/consent, read through oidc-provider's own cookie (scoped to
 * /oauth/consent), so only the browser that started the authorization can answer it.
 */
async function interaction(oauth: OAuthServer, event: H3Event, uid: string): Promise<Interaction> {
  let found: Interaction
  try {
    found = await oauth.provider.interactionDetails(event.node.req, event.node.res)
  }
  catch {
    throw notFound('This authorization request has expired or was started in another browser; start it again from the application')
  }
  if (found.uid !== uid) throw notFound('This authorization request is not the one open in this browser; start it again from the application')
  return found
}

export async function consentDetails(oauth: OAuthServer, event: H3Event, uid: string): Promise<ConsentDetails> {
  const { params } = await interaction(oauth, event, uid)
  const client = await oauth.provider.Client.find(String(params.client_id))
  if (!client) throw new AppError(400, 'The application asking for access is not registered')
  const requested = String(params.scope ?? '').split(' ')
  return {
    uid,
    client: {
      id: client.clientId,
      name: client.clientName || client.clientId,
      redirectHost: URL.parse(String(params.redirect_uri))?.host || String(params.redirect_uri),
      metadataDocument: client.clientId.startsWith('https://'),
    },
    scopes: SCOPES.filter(s => requested.includes(s)),
    resource: resourceOf(oauth, params),
  }
}

/**
 * The person's answer. Approving records a grant for exactly the resource and scopes shown,
 * signs the person in to the OAuth session for this one authorization, and returns where the
 * browser continues (the authorization endpoint, which redirects to the client).
 */
export async function decideConsent(oauth: OAuthServer, event: H3Event, uid: string, userId: string, approve: boolean): Promise<string> {
  const { params } = await interaction(oauth, event, uid)
  const { req, res } = event.node
  if (!approve) {
    return oauth.provider.interactionResult(req, res, { error: 'access_denied', error_description: 'The person denied access' }, { mergeWithLastSubmission: false })
  }
  const requested = String(params.scope ?? '').split(' ')
  const grant = new oauth.provider.Grant({ accountId: userId, clientId: String(params.client_id) })
  const scopes = SCOPES.filter(s => requested.includes(s)).join(' ')
  grant.addResourceScope(resourceOf(oauth, params), scopes)
  // oidc-provider also counts read/write as server scopes (they are listed for registration).
  const oidcScopes = requested.filter(s => s === 'openid' || s === 'offline_access' || (SCOPES as readonly string[]).includes(s))
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '))
  const grantId = await grant.save()
  return oauth.provider.interactionResult(req, res, { login: { accountId: userId, remember: false }, consent: { grantId } }, { mergeWithLastSubmission: false })
}

function resourceOf(oauth: OAuthServer, params: Record<string, unknown>): string {
  const asked = Array.isArray(params.resource) ? params.resource[0] : params.resource
  return typeof asked === 'string' && asked ? asked : oauth.resources.mcp
}
