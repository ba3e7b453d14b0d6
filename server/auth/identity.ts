export type TokenType = 'personal' | 'bootstrap' | 'oauth' | 'oidc' | 'github' | 'session' | 'telegram' | 'system'
export type Scope = 'read' | 'write'

/** Who is calling, resolved per request (membership is never frozen into tokens). */
export interface Identity {
  userId: string
  displayName: string
  email: string
  provider: string
  tokenType: TokenType
  groups: string[]
  isAdmin: boolean
  scopes: Scope[]
  /** For a bearer token: the RFC 9728 metadata URL of the resource it was sent to, named in challenges. */
  resourceMetadata?: string
}

export interface Caller {
  identity: Identity
  /** What the call came through: claude-code, cursor, web, api, … (Mctl-Client trailer). */
  client: string
  ip?: string
  /** Set for MCP calls: tools that answer compactly by default do so for models only. */
  via?: 'mcp'
}

/**
 * An identity MCTL acts as by itself (a background worker's), or on behalf of the person
 * named: no token, no group, the write scope only for what its worker was built to do.
 */
export function systemIdentity(person: { id: string, name: string, email: string }): Identity {
  return { userId: person.id, displayName: person.name, email: person.email, provider: 'mctl', tokenType: 'system', groups: [], isAdmin: false, scopes: ['write'] }
}

/** Commit author for an identity (GITOPS.md "Commits"). */
export function authorOf(identity: Identity) {
  return {
    name: identity.displayName || identity.userId,
    email: identity.email || `${identity.userId}@users.noreply.${identity.provider === 'github' ? 'github.com' : 'mctl.local'}`,
  }
}
