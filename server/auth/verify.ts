import { eq } from 'drizzle-orm'
import type { Db } from '../db'
import { users } from '../db/schema'
import type { RepoIndex } from '../gitops/state'
import { unauthorized } from '../utils/errors'
import type { Identity } from './identity'
import { findPersonalToken, isBootstrapToken, PAT_PREFIX, touchPersonalToken, type TokenOwner } from './tokens'

export interface VerifierOptions {
  db: Db
  index: RepoIndex
  baseUrl: string
  adminUsers: string[]
}

const TOUCH_EVERY_MS = 60_000
/** Verified personal tokens are remembered briefly; revocation in this process forgets at once. */
const CACHE_MS = 30_000

/**
 * Bearer tokens on /mcp and /api/v1 (AUTH.md "Tokens accepted"). Membership and admin are
 * resolved at every request from the users table, NUXT_ADMIN_USERS and mctl.yaml.
 */
export class TokenVerifier {
  private touched = new Map<string, number>()
  private cache = new Map<string, { owner: TokenOwner, until: number }>()

  constructor(private readonly opts: VerifierOptions) {}

  /** The resource metadata URL a 401 on `path` points MCP clients to (RFC 9728). */
  resourceMetadataUrl(path: string) {
    const resource = path.startsWith('/api/') ? '/api/v1' : '/mcp'
    return `${this.opts.baseUrl}/.well-known/oauth-protected-resource${resource}`
  }

  challenge(path: string, message = 'Authentication required: send Authorization: Bearer <token>') {
    return unauthorized(message, { 'WWW-Authenticate': `Bearer resource_metadata="${this.resourceMetadataUrl(path)}"` })
  }

  async verify(authorization: string | undefined, path: string): Promise<Identity> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
    if (!token) throw this.challenge(path)
    if (token.startsWith(PAT_PREFIX) || !token.includes('.')) {
      const owner = this.personalToken(token)
      if (owner) {
        this.touch(token)
        const groups: string[] = []
        return {
          userId: owner.user.id,
          displayName: owner.user.displayName,
          email: owner.user.email ?? '',
          provider: owner.user.provider,
          tokenType: isBootstrapToken(owner.name) && owner.user.id === 'admin' ? 'bootstrap' : 'personal',
          groups,
          isAdmin: this.isAdmin(owner.user.id, owner.user.isAdmin, groups),
          scopes: owner.scopes,
        }
      }
    }
    throw this.challenge(path, 'Invalid or expired token')
  }

  /**
   * The identity of a known user who is not presenting a token here (a Telegram user linked
   * in tenant.yaml, an operation resumed after a restart); null when there is no such user.
   */
  identityOf(userId: string, tokenType: Identity['tokenType']): Identity | null {
    const user = this.opts.db.select().from(users).where(eq(users.id, userId)).get()
    if (!user) return null
    return {
      userId: user.id,
      displayName: user.displayName,
      email: user.email ?? '',
      provider: user.provider,
      tokenType,
      groups: [],
      isAdmin: this.isAdmin(user.id, user.isAdmin, []),
      scopes: ['read', 'write'],
    }
  }

  private personalToken(token: string): TokenOwner | null {
    const now = Date.now()
    const hit = this.cache.get(token)
    if (hit && hit.until > now && (!hit.owner.expiresAt || Date.parse(hit.owner.expiresAt) > now)) return hit.owner
    const owner = findPersonalToken(this.opts.db, token)
    if (owner) {
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(token, { owner, until: now + CACHE_MS })
    }
    else this.cache.delete(token)
    return owner
  }

  /** Call after revoking or deleting tokens so no cached copy outlives them. */
  forgetTokens() {
    this.cache.clear()
  }

  isAdmin(userId: string, flagged: boolean, groups: string[]) {
    return flagged
      || this.opts.adminUsers.includes(userId)
      || this.opts.index.platform.adminGroups.some(g => groups.includes(g))
  }

  private touch(token: string) {
    const now = Date.now()
    if (now - (this.touched.get(token) ?? 0) < TOUCH_EVERY_MS) return
    this.touched.set(token, now)
    touchPersonalToken(this.opts.db, token)
  }
}
