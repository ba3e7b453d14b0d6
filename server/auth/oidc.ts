import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'
import type { Settings } from '../settings'
import { errorMessage } from '../utils/errors'
import type { Profile } from './users'

const TIMEOUT_MS = 5_000
const DISCOVERY_TTL_MS = 60 * 60_000

interface Discovery { issuer: string, jwks_uri: string, authorization_endpoint: string, token_endpoint: string, userinfo_endpoint?: string }

/**
 * An outside OpenID Connect issuer (Dex, Keycloak, …): discovery and JWKS (both cached; jose
 * refetches the key set when it meets an unknown key id), token verification with the
 * configured client id as audience, and the person a token or claim set describes.
 */
export class OidcIssuer {
  private discovered?: { at: number, value: Promise<Discovery> }
  private keys?: { uri: string, set: ReturnType<typeof createRemoteJWKSet> }

  constructor(private readonly config: Settings['oidc']) {}

  get issuer() {
    return this.config.issuer
  }

  get discoveryUrl() {
    return `${this.config.issuer}/.well-known/openid-configuration`
  }

  discovery(): Promise<Discovery> {
    if (!this.discovered || Date.now() - this.discovered.at > DISCOVERY_TTL_MS) {
      const value = fetchDiscovery(this.discoveryUrl, this.config.issuer)
      this.discovered = { at: Date.now(), value }
      value.catch(() => { this.discovered = undefined })
    }
    return this.discovered.value
  }

  /** Verifies an ID or access token of this issuer for our client id; throws when invalid. */
  async verify(token: string): Promise<JWTPayload> {
    const { jwks_uri } = await this.discovery()
    if (this.keys?.uri !== jwks_uri) this.keys = { uri: jwks_uri, set: createRemoteJWKSet(new URL(jwks_uri), { timeoutDuration: TIMEOUT_MS }) }
    const { payload } = await jwtVerify(token, this.keys.set, { issuer: this.config.issuer, audience: this.config.clientId })
    return payload
  }

  /** The person described by verified claims (plus userinfo claims at sign-in). */
  profile(claims: Record<string, unknown>): Profile {
    const str = (v: unknown) => typeof v === 'string' ? v : ''
    const login = str(claims[this.config.usernameClaim]) || str(claims.email) || str(claims.sub)
    const raw = claims[this.config.groupsClaim]
    const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : []
    return { login, displayName: str(claims.name) || login, email: str(claims.email), groups }
  }
}

async function fetchDiscovery(url: string, issuer: string): Promise<Discovery> {
  let res: Response
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  }
  catch (err) {
    throw new Error(`Could not reach the OIDC issuer at ${url}: ${errorMessage(err)}`)
  }
  if (!res.ok) throw new Error(`OIDC discovery at ${url} answered ${res.status}`)
  const doc = await res.json() as Discovery
  // Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
  if (doc.issuer !== issuer) throw new Error(`OIDC discovery at ${url} names issuer "${doc.issuer}", expected "${issuer}"`)
  if (!doc.jwks_uri) throw new Error(`OIDC discovery at ${url} has no jwks_uri`)
  return doc
}
