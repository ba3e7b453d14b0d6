import type { KoaContextWithOIDC, default as Provider } from 'oidc-provider'
import type { Db } from '../../db'
import type { OAuthClientConfig } from '../../settings'
import type { Directory } from '../users'
import { sqliteAdapter } from './adapter'
import type { OidcModule } from './module'
import type { SigningKeys } from './keys'
import { renderError } from './render-error'

export const SCOPES = ['read', 'write'] as const
const HOUR = 3600
const DAY = 24 * HOUR
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost'])
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:'])

export interface ProviderOptions {
  issuer: string
  /** Resource indicators (RFC 8707) tokens may be issued for; the first is the default. */
  resources: string[]
  db: Db
  directory: Directory
  keys: SigningKeys
  cookieKeys: string[]
  clients: OAuthClientConfig[]
  trustProxy: boolean
  metadataPrivateNetworks: boolean
}

/**
 * oidc-provider configured as the OAuth 2.1 server of AUTH.md: code + PKCE (S256) only,
 * public clients by default, dynamic registration, client ID metadata documents, exact
 * redirect URIs (http only on loopback), resource indicators giving ES256 JWT access tokens
 * whose `aud` is the resource, rotating refresh tokens (reuse revokes the grant), revocation.
 */
export function createProvider(o: ProviderOptions, { default: Provider, errors, interactionPolicy }: OidcModule): Provider {
  const policy = interactionPolicy.base()
  // Every authorization is shown to the person: a client never gets tokens silently.
  policy.get('consent').checks.add(new interactionPolicy.Check('mctl_consent', 'the person approves each authorization',
    (ctx: KoaContextWithOIDC) => ctx.oidc.result?.consent ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT))

  const provider = new Provider(o.issuer, {
    adapter: sqliteAdapter(o.db),
    jwks: o.keys.privateJwks,
    clients: o.clients.map(c => ({
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: c.client_secret ? 'client_secret_basic' : 'none',
      ...c,
    })),
    async findAccount(_ctx: unknown, sub: string) {
      const user = o.directory.find(sub)
      return user && { accountId: user.id, claims: async () => ({ sub: user.id, name: user.displayName, email: user.email ?? undefined }) }
    },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/oauth/consent?uid=${interaction.uid}` },
    routes: {
      authorization: '/oauth/authorize',
      token: '/oauth/token',
      jwks: '/oauth/jwks',
      registration: '/oauth/register',
      revocation: '/oauth/revoke',
    },
    // read/write are listed here too so registrations may name them; what they mean is the
    // resource scope of /mcp and /api/v1.
    scopes: ['openid', 'offline_access', ...SCOPES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    // OAuth 2.1: the redirect URI is always sent and compared exactly.
    allowOmittingSingleRegisteredRedirectUri: false,
    // RFC 7591 `software_id` is accepted and stored; its validator runs for every client
    // (configured, registered, metadata document), which makes it the place for our rule.
    extraClientMetadata: { properties: ['software_id'], validator: redirectUriCheck(errors) },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      // Bearer tokens only: our resource servers do not check DPoP proofs.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf?.[0] ?? o.resources[0],
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx: unknown, indicator: string) {
          if (!o.resources.includes(indicator)) throw new errors.InvalidTarget(`unknown resource; use one of ${o.resources.join(', ')}`)
          return { scope: SCOPES.join(' '), audience: indicator, accessTokenTTL: HOUR, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }
        },
      },
    },
    // The grant id rides in the JWT so a revoked family is refused at once (JWTs are not stored).
    extraTokenClaims: (_ctx: unknown, token: { kind: string, grantId?: string }) => token.kind === 'AccessToken' && token.grantId ? { gid: token.grantId } : undefined,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // Tokens live by their own TTLs, not by the browser's OAuth session.
    expiresWithSession: () => false,
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Session: DAY,
      // A refresh token lasts 30 days; each use rotates it, so an active family outlives one.
      RefreshToken: 30 * DAY,
      Grant: 365 * DAY,
    },
    cookies: { keys: o.cookieKeys, long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
    clientBasedCORS: (_ctx: unknown, origin: string, client: { clientAuthMethod: string, redirectUris: string[] }) =>
      origin !== 'null' && client.clientAuthMethod === 'none' && client.redirectUris.some(uri => URL.parse(uri)?.origin === origin),
    renderError,
    // Client ID metadata documents are fetched through oidc-provider's SSRF guard, which
    // refuses loopback and private addresses; dropping its dispatcher lifts that on purpose.
    ...(o.metadataPrivateNetworks ? { fetch: (url: string, { dispatcher: _guard, ...options }: RequestInit & { dispatcher?: unknown }) => globalThis.fetch(url, options) } : {}),
  })
  provider.proxy = o.trustProxy
  // AUTH.md: redirect URIs match exactly. oidc-provider would otherwise let native clients
  // vary the loopback port (RFC 8252 §7.3).
  provider.Client.prototype.redirectUriAllowed = function (this: { redirectUris: string[] }, uri: string) {
    return this.redirectUris.includes(uri)
  }
  // A client that asks for no scope gets what the consent page shows: read and write.
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (ctx.path === '/oauth/authorize' && ctx.method === 'GET' && !ctx.query.scope) ctx.query = { ...ctx.query, scope: SCOPES.join(' ') }
    await next()
  })
  return provider
}

/** Redirect URIs: https anywhere, http only on loopback, private-use schemes for native apps. */
const redirectUriCheck = (errors: OidcModule['errors']) => (_ctx: unknown, key: string, _value: unknown, metadata: { redirect_uris?: string[] }) => {
  if (key !== 'software_id') return
  for (const uri of metadata.redirect_uris ?? []) {
    const url = URL.parse(uri)
    if (!url) throw new errors.InvalidClientMetadata(`redirect_uris: "${uri}" is not a URL`)
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
      throw new errors.InvalidClientMetadata(`redirect_uris: "${uri}" uses http on a host that is not loopback; use https`)
    if (FORBIDDEN_SCHEMES.has(url.protocol))
      throw new errors.InvalidClientMetadata(`redirect_uris: the ${url.protocol} scheme is not allowed`)
  }
}
