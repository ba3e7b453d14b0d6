import { createHmac } from 'node:crypto'
import type { H3Event } from 'h3'
import { jwtVerify } from 'jose'
import type Provider from 'oidc-provider'
import type { Db } from '../../db'
import type { Settings } from '../../settings'
import type { Logger } from '../../utils/logger'
import type { Scope } from '../identity'
import type { Directory } from '../users'
import { grantExists, purgeExpired } from './adapter'
import { loadSigningKeys, type SigningKeys } from './keys'
import { createProvider, SCOPES } from './provider'

const PURGE_EVERY_MS = 10 * 60_000

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

  private constructor(settings: Settings, private readonly db: Db, directory: Directory, private readonly keys: SigningKeys, sessionPassword: string, logger: Logger) {
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
    })
    // Failures are logged by kind and client only: never a token, code or secret.
    for (const event of ['grant.error', 'registration_create.error', 'revocation.error', 'server_error']) {
      this.provider.on(event, (ctx: { oidc?: { client?: { clientId?: string } } }, err: Error & { error?: string }) =>
        logger.warn(`oauth.${event.replace('.', '_')}`, { error: err.error ?? err.message, client: ctx?.oidc?.client?.clientId }))
    }
    this.provider.on('grant.revoked', (_ctx: unknown, grantId: string) => logger.info('oauth.grant_revoked', { grant: grantId }))
    this.callback = this.provider.callback()
    this.purge = setInterval(() => purgeExpired(db), PURGE_EVERY_MS).unref()
  }

  static async create(settings: Settings, db: Db, directory: Directory, sessionPassword: string, logger: Logger) {
    const keys = await loadSigningKeys(`${settings.dataDir}/oauth-signing-keys.json`)
    return new OAuthServer(settings, db, directory, keys, sessionPassword, logger)
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
   * One of our access tokens for `resource`: signature, issuer, audience, expiry, and the grant
   * still standing (revocation and refresh-token reuse delete it). Throws when any fails.
   */
  async verifyAccessToken(token: string, resource: string): Promise<AccessGrant> {
    const { payload } = await jwtVerify(token, this.keys.verifier, {
      issuer: this.issuer, audience: resource, algorithms: ['ES256'], typ: 'at+jwt', requiredClaims: ['sub', 'exp', 'gid'],
    })
    if (typeof payload.gid !== 'string' || !grantExists(this.db, payload.gid)) throw new Error('the grant was revoked')
    const granted = String(payload.scope ?? '').split(' ')
    return {
      userId: payload.sub!,
      clientId: String(payload.client_id ?? ''),
      scopes: SCOPES.filter(s => granted.includes(s)),
    }
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
