import { eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { oauthStore } from '../../db/schema'
import type { OAuthClientConfig } from '../../settings'

/** An OAuth client as the admin console lists it: never its secret or registration token. */
export interface OAuthClientView {
  clientId: string
  name: string | null
  redirectUris: string[]
  /** none = public client (PKCE only); otherwise how it authenticates with its secret. */
  authMethod: string
  source: 'configured' | 'registered'
  softwareId: string | null
  registeredAt: string | null
}

const str = (v: unknown) => typeof v === 'string' && v ? v : null

/** Pre-registered clients (NUXT_OAUTH_CLIENTS), then those registered dynamically, newest first. */
export function listOAuthClients(db: Db, configured: OAuthClientConfig[]): OAuthClientView[] {
  const registered = db.select({ payload: oauthStore.payload }).from(oauthStore).where(eq(oauthStore.model, 'Client')).all()
    .map(({ payload: p }): OAuthClientView => ({
      clientId: String(p.client_id),
      name: str(p.client_name),
      redirectUris: Array.isArray(p.redirect_uris) ? p.redirect_uris.map(String) : [],
      authMethod: str(p.token_endpoint_auth_method) ?? 'none',
      source: 'registered',
      softwareId: str(p.software_id),
      registeredAt: typeof p.client_id_issued_at === 'number' ? new Date(p.client_id_issued_at * 1000).toISOString() : null,
    }))
    .sort((a, b) => (b.registeredAt ?? '').localeCompare(a.registeredAt ?? ''))
  return [
    ...configured.map((c): OAuthClientView => ({
      clientId: c.client_id,
      name: c.client_name ?? null,
      redirectUris: c.redirect_uris,
      authMethod: c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none'),
      source: 'configured',
      softwareId: null,
      registeredAt: null,
    })),
    ...registered,
  ]
}
