import { createHash } from 'node:crypto'
import { decodeJwt } from 'jose'
import type { Db } from '../db'
import type { Logger } from '../utils/logger'
import { AppError, errorMessage, forbidden, unauthorized } from '../utils/errors'
import { GITHUB_TOKEN, type GithubIdentity } from './github'
import type { Identity } from './identity'
import type { OAuthServer } from './oauth'
import { SCOPES } from './oauth/provider'
import type { OidcIssuer } from './oidc'
import type { RateLimiter } from './rate-limit'
import { findPersonalToken, isBootstrapToken, PAT_PREFIX, touchPersonalToken, type TokenOwner } from './tokens'
import type { Directory, Profile } from './users'

export interface VerifierOptions {
  db: Db
  baseUrl: string
  directory: Directory
  oauth: OAuthServer
  /** Set when an OIDC issuer is configured. */
  oidc?: OidcIssuer
  /** Set unless NUXT_AUTH_ACCEPT_GITHUB_TOKENS=false. */
  github?: GithubIdentity
  logger: Logger
  /** Failed token checks count per client IP against NUXT_RATE_LIMIT_AUTH_PER_MINUTE. */
  limits: RateLimiter
  authPerMinute: number
}

const TOUCH_EVERY_MS = 60_000
/** Verified personal tokens are remembered briefly; revocation in this process forgets at once. */
const PAT_CACHE_MS = 30_000
const GITHUB_CACHE_MS = 5 * 60_000
const GITHUB_NEGATIVE_MS = 60_000
const OIDC_CACHE_MAX_MS = 5 * 60_000
const CACHE_MAX = 10_000

/** A refusal is kept with its reason (e.g. not in an allowed organisation) to give it again. */
interface Cached { until: number, userId: string | null, refusal?: string }

/** Text for a quoted auth-param (RFC 6750 §3: printable ASCII without `"` and `\`). */
const quoted = (s: string) => s.replace(/["\\]/g, "'").replace(/[^\x20-\x7E]/g, '?')

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * Bearer tokens on /mcp and /api/v1 (AUTH.md "Tokens accepted"): our OAuth JWTs (audience =
 * the resource of the path), personal access tokens, OIDC issuer JWTs and GitHub tokens.
 * Whatever the token, the identity's groups, roles and admin status are resolved now from the
 * directory, mctl.yaml and NUXT_ADMIN_USERS. Tokens are checked, never passed on.
 */
export class TokenVerifier {
  private touched = new Map<string, number>()
  /** Outside-token results by SHA-256 of the token (the token itself is never kept). */
  private outside = new Map<string, Cached>()
  /** Personal tokens by SHA-256 (looked up on every /mcp call: a hot path). */
  private personal = new Map<string, { owner: TokenOwner, until: number }>()

  constructor(private readonly opts: VerifierOptions) {}

  /** The protected resource a path belongs to (RFC 8707 audience of its tokens). */
  resourceOf(path: string) {
    return path.startsWith('/api/') ? this.opts.oauth.resources.api : this.opts.oauth.resources.mcp
  }

  /** The resource metadata URL a 401 on `path` points MCP clients to (RFC 9728). */
  resourceMetadataUrl(path: string) {
    const resource = path.startsWith('/api/') ? '/api/v1' : '/mcp'
    return `${this.opts.baseUrl}/.well-known/oauth-protected-resource${resource}`
  }

  /**
   * The 401 of MCP authorization (RFC 6750 §3): with no token, where to get one and the scopes
   * this resource knows; with a token that was refused (`refusal`), error="invalid_token" and
   * why, so the client drops it and refreshes or authorizes again.
   */
  challenge(path: string, refusal?: string) {
    const metadata = `resource_metadata="${this.resourceMetadataUrl(path)}"`
    if (refusal === undefined)
      return unauthorized('Authentication required: send Authorization: Bearer <token>', { 'WWW-Authenticate': `Bearer ${metadata}, scope="${SCOPES.join(' ')}"` })
    return unauthorized(refusal, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${quoted(refusal)}", ${metadata}` })
  }

  /**
   * The identity behind `authorization`, presented from client address `ip`. Every failed check
   * counts against that address's auth limit (429 with Retry-After past it), and past it no
   * token is sent to GitHub or an OIDC issuer: guessing tokens, or making us call GitHub for
   * an anonymous caller, is as slow as guessing passwords.
   */
  async verify(authorization: string | undefined, path: string, ip: string): Promise<Identity> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
    if (!token) throw this.challenge(path)
    let identity: Identity | null = null
    let refusal = 'Invalid or expired token'
    try {
      identity = token.split('.').length === 3 ? await this.jwt(token, path, ip) : await this.opaque(token, ip)
    }
    catch (err) {
      if (err instanceof AppError && err.status === 429) throw err
      // A person-facing reason (e.g. a login held by another provider) is kept; anything else
      // is one answer, so the response never tells which check a forged token failed.
      if (err instanceof AppError && err.status === 403) refusal = err.message
    }
    if (!identity) {
      this.opts.limits.take(this.failuresKey(ip), this.opts.authPerMinute, 'failed token checks')
      throw this.challenge(path, refusal)
    }
    return { ...identity, resourceMetadata: this.resourceMetadataUrl(path) }
  }

  private failuresKey(ip: string) {
    return `ip:token checks:${ip}`
  }

  private async jwt(token: string, path: string, ip: string): Promise<Identity | null> {
    const { iss } = decodeJwt(token)
    if (iss === this.opts.oauth.issuer) {
      const grant = await this.opts.oauth.verifyAccessToken(token, this.resourceOf(path))
      const user = this.opts.directory.find(grant.userId)
      return user ? this.opts.directory.identity(user, 'oauth', grant.scopes) : null
    }
    const oidc = this.opts.oidc
    if (!oidc || iss !== oidc.issuer) return null
    const userId = await this.cached(token, OIDC_CACHE_MAX_MS, async () => {
      const claims = await oidc.verify(token)
      const until = Math.min(Date.now() + OIDC_CACHE_MAX_MS, (claims.exp ?? 0) * 1000)
      return { until, profile: oidc.profile(claims) }
    }, 'oidc', ip)
    return this.external(userId, 'oidc')
  }

  private personalToken(token: string, key: string): TokenOwner | null {
    const now = Date.now()
    const hit = this.personal.get(key)
    if (hit && hit.until > now && (!hit.owner.expiresAt || Date.parse(hit.owner.expiresAt) > now)) return hit.owner
    const owner = findPersonalToken(this.opts.db, token)
    if (owner) {
      if (this.personal.size > CACHE_MAX) this.personal.clear()
      this.personal.set(key, { owner, until: now + PAT_CACHE_MS })
    }
    else this.personal.delete(key)
    return owner
  }

  /** Call after revoking or deleting personal tokens so no cached copy outlives them. */
  forgetTokens() {
    this.personal.clear()
  }

  private async opaque(token: string, ip: string): Promise<Identity | null> {
    const key = sha256(token)
    const owner = this.personalToken(token, key)
    if (owner) {
      this.touch(token, key)
      const tokenType = isBootstrapToken(owner.name) && owner.user.id === 'admin' ? 'bootstrap' : 'personal'
      return this.opts.directory.identity(owner.user, tokenType, owner.scopes)
    }
    const github = this.opts.github
    if (!github || token.startsWith(PAT_PREFIX) || !GITHUB_TOKEN.test(token)) return null
    const userId = await this.cached(token, GITHUB_NEGATIVE_MS, async () => {
      const person = await github.person(token)
      return { until: Date.now() + GITHUB_CACHE_MS, profile: { login: person.login, displayName: person.name, email: person.email, groups: person.teams } }
    }, 'github', ip)
    return this.external(userId, 'github')
  }

  private external(userId: string | null, tokenType: 'oidc' | 'github'): Identity | null {
    const user = userId ? this.opts.directory.find(userId) : undefined
    // Outside tokens may both read and write; what they may touch is decided by membership.
    return user ? this.opts.directory.identity(user, tokenType, ['read', 'write']) : null
  }

  /**
   * Checks an outside token at most once per cache period (GitHub: 5 min; OIDC: until expiry,
   * at most 5 min) and records the person. Failures, refusals included, are cached for
   * `negativeMs` so a bad token cannot make us hammer the provider; and no check goes out for
   * an address already past its limit of failed checks.
   */
  private async cached(token: string, negativeMs: number, check: () => Promise<{ until: number, profile: Profile }>, provider: 'oidc' | 'github', ip: string): Promise<string | null> {
    const key = sha256(token)
    const hit = this.outside.get(key)
    if (hit && hit.until > Date.now()) {
      if (hit.refusal) throw forbidden(hit.refusal)
      return hit.userId
    }
    this.opts.limits.peek(this.failuresKey(ip), this.opts.authPerMinute, 'failed token checks')
    let entry: Cached
    try {
      const { until, profile } = await check()
      entry = { until, userId: this.opts.directory.upsertExternal(provider, profile).id }
    }
    catch (err) {
      const refusal = err instanceof AppError && err.status === 403 ? err.message : undefined
      // An invalid token is the caller's problem; an unreachable provider is worth a log line.
      const rejected = err instanceof AppError || String((err as { code?: string }).code ?? '').startsWith('ERR_JW')
      if (!rejected) this.opts.logger.warn('auth.token_check_failed', { provider, error: errorMessage(err) })
      entry = { until: Date.now() + negativeMs, userId: null, refusal }
    }
    if (this.outside.size >= CACHE_MAX) this.outside.clear()
    this.outside.set(key, entry)
    if (entry.refusal) throw forbidden(entry.refusal)
    return entry.userId
  }

  private touch(token: string, key: string) {
    const now = Date.now()
    if (now - (this.touched.get(key) ?? 0) < TOUCH_EVERY_MS) return
    if (this.touched.size >= CACHE_MAX) this.touched.clear()
    this.touched.set(key, now)
    touchPersonalToken(this.opts.db, token)
  }
}
