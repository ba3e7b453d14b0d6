import { and, eq, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { userGroups, users, type User } from '../db/schema'
import type { RepoIndex } from '../gitops/state'
import { forbidden, invalid, notFound } from '../utils/errors'
import { decideAdmin } from './access'
import { endWebSessionsOf } from './sessions'
import type { Identity, Scope, TokenType } from './identity'

export type Provider = 'local' | 'github' | 'oidc'
type GroupSource = 'local' | 'github' | 'oidc'

/** What an identity provider tells us about a person at sign-in or token check. */
export interface Profile {
  login: string
  displayName: string
  email: string
  /** Groups as the provider states them now (GitHub `org/team`, the OIDC groups claim). */
  groups: string[]
}

/** Logins are tenant.yaml member ids: lower case, no spaces, no slashes. */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,99}$/

export function normalizeLogin(raw: string): string {
  const login = raw.trim().toLowerCase()
  if (!LOGIN_PATTERN.test(login)) throw invalid(`"${raw}" cannot be used as a login (letters, digits, . _ @ - only)`)
  return login
}

/**
 * People and their groups (SQLite), and the Identity a request runs as. Membership and admin
 * status are computed here at every request from the stored groups, mctl.yaml and
 * NUXT_ADMIN_USERS, so a token never carries a stale role.
 */
export class Directory {
  /** Asked on every authenticated request: built once, not per call. */
  private readonly groupsQuery
  /**
   * Groups by user, as stored. Every write of them is here (sign-in, local accounts), and each
   * forgets that user's entry, so a role change still applies to the very next request.
   */
  private readonly groups = new Map<string, string[]>()

  constructor(
    private readonly db: Db,
    private readonly index: RepoIndex,
    private readonly adminUsers: string[],
  ) {
    this.groupsQuery = db.select({ group: userGroups.group }).from(userGroups).where(eq(userGroups.userId, sql.placeholder('userId'))).prepare()
  }

  /**
   * A person who may act now. A deactivated one is nobody here, so every sign-in, browser
   * session and token check (TokenVerifier, webUser, the OAuth server) refuses them.
   */
  find(id: string): User | undefined {
    return this.db.select().from(users).where(and(eq(users.id, id), isNull(users.deactivatedAt))).get()
  }

  /** The row behind a login, deactivated or not (a login stays taken while deactivated). */
  account(id: string): User | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get()
  }

  /**
   * An admin deactivates (or reactivates) someone. Deactivating ends their browser sessions at
   * once; their tokens are refused from then on because find() no longer knows them.
   */
  setDeactivated(id: string, deactivated: boolean): User {
    return this.db.transaction((tx) => {
      const row = tx.update(users).set({ deactivatedAt: deactivated ? new Date().toISOString() : null })
        .where(eq(users.id, id)).returning().get()
      if (!row) throw notFound(`No user "${id}"`)
      if (deactivated) endWebSessionsOf(tx as unknown as Db, id)
      return row
    })
  }

  groupsOf(userId: string): string[] {
    let groups = this.groups.get(userId)
    if (!groups) {
      groups = [...new Set(this.groupsQuery.all({ userId }).map(r => r.group))].sort()
      if (this.groups.size >= 10_000) this.groups.clear()
      this.groups.set(userId, groups)
    }
    return [...groups]
  }

  isAdmin(user: User, groups = this.groupsOf(user.id)): boolean {
    return decideAdmin({ userId: user.id, flagged: user.isAdmin, groups },
      { adminUsers: this.adminUsers, adminGroups: this.index.platform.adminGroups })
  }

  identity(user: User, tokenType: TokenType, scopes: Scope[]): Identity {
    const groups = this.groupsOf(user.id)
    return {
      userId: user.id,
      displayName: user.displayName,
      email: user.email ?? '',
      provider: user.provider,
      tokenType,
      groups,
      isAdmin: this.isAdmin(user, groups),
      scopes,
    }
  }

  /**
   * The identity of a known user who is not presenting a token here (a Telegram user linked
   * in tenant.yaml, an operation resumed after a restart); null when there is no such user.
   */
  identityOf(userId: string, tokenType: TokenType): Identity | null {
    const user = this.find(userId)
    return user ? this.identity(user, tokenType, ['read', 'write']) : null
  }

  /**
   * Whether an admin can sign in to the browser (else the first-admin link is offered): one
   * with a password or an outside identity, or admins named by login or group while GitHub
   * or OIDC sign-in is on. The bootstrap admin of NUXT_BOOTSTRAP_ADMIN_TOKEN has no password,
   * so it alone does not count.
   */
  adminCanSignIn(externalSignIn: boolean): boolean {
    const groups = this.index.platform.adminGroups
    if (externalSignIn && (this.adminUsers.length || groups.length)) return true
    const signsIn = or(isNotNull(users.passwordHash), ne(users.provider, 'local'))
    const admins = [eq(users.isAdmin, true), ...(this.adminUsers.length ? [inArray(users.id, this.adminUsers)] : [])]
    if (this.db.select({ id: users.id }).from(users).where(and(signsIn, or(...admins))).get()) return true
    return groups.length > 0 && this.db.select({ id: users.id }).from(users)
      .innerJoin(userGroups, eq(userGroups.userId, users.id))
      .where(and(signsIn, inArray(userGroups.group, groups))).get() !== undefined
  }

  /**
   * A person known to GitHub or the OIDC issuer: create or refresh their row and replace the
   * groups that provider states. A login already held through another provider is refused,
   * so nobody can take over a local account by picking the same name elsewhere.
   */
  upsertExternal(provider: Exclude<Provider, 'local'>, profile: Profile): User {
    const id = normalizeLogin(profile.login)
    this.groups.delete(id)
    return this.db.transaction((tx) => {
      const existing = tx.select().from(users).where(eq(users.id, id)).get()
      if (existing?.deactivatedAt) throw forbidden(`The account "${id}" is deactivated; ask a platform admin`)
      if (existing && existing.provider !== provider)
        throw forbidden(`The login "${id}" belongs to a ${existing.provider} account; sign in with ${existing.provider === 'local' ? 'its password' : existing.provider}`)
      const seen = new Date().toISOString()
      const row = existing
        ? tx.update(users).set({ displayName: profile.displayName || id, email: profile.email || existing.email, lastSeenAt: seen }).where(eq(users.id, id)).returning().get()
        : tx.insert(users).values({ id, displayName: profile.displayName || id, email: profile.email || null, provider, lastSeenAt: seen }).returning().get()
      setGroups(tx as unknown as Db, id, provider, profile.groups)
      return row
    })
  }

  createLocal(p: { login: string, displayName: string, email: string, passwordHash: string, isAdmin: boolean, groups: string[] }): User {
    const id = normalizeLogin(p.login)
    this.groups.delete(id)
    return this.db.transaction((tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.id, id)).get())
        throw invalid(`The login "${id}" is taken`)
      const row = tx.insert(users).values({
        id, displayName: p.displayName || id, email: p.email || null, provider: 'local', isAdmin: p.isAdmin, passwordHash: p.passwordHash,
      }).returning().get()
      setGroups(tx as unknown as Db, id, 'local', p.groups)
      return row
    })
  }

  /** Everyone, for the admin console: who they are, their groups and admin status, never a password hash. */
  list() {
    const groups = new Map<string, string[]>()
    for (const { userId, group } of this.db.select().from(userGroups).all()) groups.set(userId, [...groups.get(userId) ?? [], group])
    return this.db.select().from(users).orderBy(users.id).all().map((user) => {
      const mine = [...new Set(groups.get(user.id))].sort()
      return {
        id: user.id,
        displayName: user.displayName,
        email: user.email,
        provider: user.provider,
        isAdmin: this.isAdmin(user, mine),
        groups: mine,
        createdAt: user.createdAt,
        lastSeenAt: user.lastSeenAt,
        deactivatedAt: user.deactivatedAt,
      }
    })
  }

  /** Records a sign-in as the person's last-seen time. */
  touch(userId: string) {
    this.db.update(users).set({ lastSeenAt: new Date().toISOString() }).where(eq(users.id, userId)).run()
  }
}

function setGroups(db: Db, userId: string, source: GroupSource, groups: string[]) {
  db.delete(userGroups).where(and(eq(userGroups.userId, userId), eq(userGroups.source, source))).run()
  const unique = [...new Set(groups.map(g => g.trim()).filter(Boolean))]
  if (unique.length) db.insert(userGroups).values(unique.map(group => ({ userId, group, source }))).run()
}
