import { createHmac } from 'node:crypto'
import type { H3Event } from 'h3'
import { jwtVerify } from 'jose'
import type Provider from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import type { Db } from '../../db'
import type { Settings } from '../../settings'
import type { Logger } from '../../utils/logger'
import type { Scope } from '../identity'
import type { Directory } from '../users'
import { purgeExpired } from './adapter'
import { accessTokenStands, purgeRevocations, revokeAccessToken, touchGrant } from './grants'
import { loadSigningKeys, type SigningKeys } from './keys'
import { loadOidcProvider, type OidcModule } from './module'
import { createProvider, SCOPES } from './provider'

const PURGE_EVERY_MS = 10 * 60_000
/** A grant's "last used" is written at most this often (every MCP call checks a token). */
const TOUCH_EVERY_MS = 60_000
const TOUCHED_MAX = 10_000

export interface AccessGrant { userId: string, clientId: string, scopes: Scope[] }

/**
 * MCTL's OAuth 2.1 authorization server (AUTH.md): oidc-provider mounted on this app with the
 * issuer at the base URL, so MCP clients find `/.well-known/oauth-authorization-server` at the
 * root. The protected resources are `/mcp` and `/api/v1`.
 */
export class OAuthServer {
  readonly issuer: string
  readonly resources: { mcp: string, api: string }
  readonly provider: Provider
  private readonly callback: ReturnType<Provider['callback']>
  private readonly purge: NodeJS.Timeout
  /** When each grant's use was last written, by grant id. */
  private readonly touched = new Map<string, number>()

  private constructor(settings: Settings, private readonly db: Db, directory: Directory, private readonly keys: SigningKeys, sessionPassword: string, logger: Logger, oidc: OidcModule) {
    this.issuer = settings.baseUrl
    this.resources = { mcp: `${settings.baseUrl}/mcp`, api: `${settings.baseUrl}/api/v1` }
    this.provider = createProvider({
      issuer: this.issuer,
      resources: [this.resources.mcp, this.resources.api],
      db,
      directory,
      keys,
      // Cookie signing keys derived from the session password: one secret to manage.
      cookieKeys: [createHmac('sha256', sessionPassword).update('mctl oauth cookies').digest('base64url')],
      clients: settings.oauthClients,
      trustProxy: settings.trustProxy,
      metadataPrivateNetworks: settings.oauthClientMetadataPrivateNetworks,
    }, oidc)
    // Failures are logged by kind and client only: never a token, code or secret.
    for (const event of ['grant.error', 'registration_create.error', 'revocation.error', 'server_error']) {
      this.provider.on(event, (ctx: { oidc?: { client?: { clientId?: string } } }, err: Error & { error?: string }) => {
        // A JWT at the revocation endpoint is ours to handle (revokeJwtAccessTokens), not a failure.
        if (event === 'revocation.error' && err.error === 'unsupported_token_type') return
        logger.warn(`oauth.${event.replace('.', '_')}`, { error: err.error ?? err.message, client: ctx?.oidc?.client?.clientId })
      })
    }
    this.provider.use(this.revokeJwtAccessTokens)
    this.provider.on('grant.revoked', (_ctx: unknown, grantId: string) => logger.info('oauth.grant_revoked', { grant: grantId }))
    this.callback = this.provider.callback()
    this.purge = setInterval(() => {
      purgeExpired(db)
      purgeRevocations(db)
    }, PURGE_EVERY_MS).unref()
  }

  static async create(settings: Settings, db: Db, directory: Directory, sessionPassword: string, logger: Logger) {
    const keys = await loadSigningKeys(`${settings.dataDir}/oauth-signing-keys.json`)
    return new OAuthServer(settings, db, directory, keys, sessionPassword, logger, await loadOidcProvider())
  }

  get publicJwks() {
    return this.keys.publicJwks
  }

  /** Hands the request to oidc-provider and resolves once it has answered. */
  handle(event: H3Event): Promise<void> {
    const { req, res } = event.node
    return new Promise((resolve) => {
      res.once('close', () => resolve())
      res.once('finish', () => resolve())
      this.callback(req, res)
    })
  }

  /**
   * One of our access tokens for `resource`: signature, issuer, audience, expiry, neither the
   * token nor its grant revoked (accessTokenStands). Throws when any fails.
   */
  async verifyAccessToken(token: string, resource: string): Promise<AccessGrant> {
    const { payload } = await jwtVerify(token, this.keys.verifier, {
      issuer: this.issuer, audience: resource, algorithms: ['ES256'], typ: 'at+jwt', requiredClaims: ['sub', 'exp', 'gid', 'jti'],
    })
    if (typeof payload.gid !== 'string' || typeof payload.jti !== 'string' || !accessTokenStands(this.db, payload.jti, payload.gid))
      throw new Error('the token was revoked')
    this.touch(payload.gid)
    const granted = String(payload.scope ?? '').split(' ')
    return {
      userId: payload.sub!,
      clientId: String(payload.client_id ?? ''),
      scopes: SCOPES.filter(s => granted.includes(s)),
    }
  }

  private touch(gid: string) {
    const now = Date.now()
    if (now - (this.touched.get(gid) ?? 0) < TOUCH_EVERY_MS) return
    if (this.touched.size >= TOUCHED_MAX) this.touched.clear()
    this.touched.set(gid, now)
    touchGrant(this.db, gid, now)
  }

  /**
   * RFC 7009 revocation of our JWT access tokens. oidc-provider authenticates the client, then
   * refuses any JWT as `unsupported_token_type` (it keeps no access tokens); here, after it, a
   * JWT that is one of our access tokens and was issued to that client is recorded as revoked
   * by its `jti` and answered 200. Anything else that is no valid token of ours is answered
   * 200 too, as RFC 7009 says; another client's token is refused as oidc-provider does it.
   */
  private readonly revokeJwtAccessTokens = async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next()
    const body = ctx.body as { error?: string } | undefined
    const client = ctx.oidc?.client
    if (ctx.oidc?.route !== 'revocation' || body?.error !== 'unsupported_token_type' || !client) return
    let claims
    try {
      ;({ payload: claims } = await jwtVerify(String(ctx.oidc.params?.token), this.keys.verifier, {
        issuer: this.issuer, audience: Object.values(this.resources), algorithms: ['ES256'], typ: 'at+jwt', requiredClaims: ['exp', 'jti'],
      }))
    }
    catch {
      claims = undefined
    }
    if (claims && claims.client_id !== client.clientId && client.clientAuthMethod !== 'none') {
      ctx.status = 400
      ctx.body = { error: 'invalid_request', error_description: 'client is not authorized to revoke the presented token' }
      return
    }
    if (claims && claims.client_id === client.clientId) revokeAccessToken(this.db, claims.jti!, claims.exp! * 1000)
    ctx.status = 200
    ctx.body = ''
  }

  /** RFC 9728 protected resource metadata for one of our resources. */
  resourceMetadata(resource: string) {
    return {
      resource,
      authorization_servers: [this.issuer],
      scopes_supported: [...SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: 'MCTL',
      resource_documentation: `${this.issuer}/docs`,
    }
  }

  close() {
    clearInterval(this.purge)
  }
}
