import type { TenantSpec } from '../gitops/specs'
import { AppError, forbidden, notFound } from '../utils/errors'
import type { Identity } from './identity'

export type Access = 'authenticated' | 'member' | 'owner' | 'admin'
export type Role = 'owner' | 'member'

/** AUTH.md "Access rules": the one place that decides who may do what. */

/** The identity's role in a tenant: listed as a member, or in one of the tenant's groups. */
export function roleIn(identity: Identity, tenant: TenantSpec | undefined): Role | null {
  if (!tenant) return null
  const listed = tenant.members.find(m => m.userId === identity.userId)
  if (listed) return listed.role
  return tenant.groups.some(g => identity.groups.includes(g)) ? 'member' : null
}

export function isAdmin(identity: Identity) {
  return identity.isAdmin
}

export interface AdminRules {
  /** NUXT_ADMIN_USERS: logins that are always admins. */
  adminUsers: string[]
  /** mctl.yaml `adminGroups`: IdP groups, GitHub teams (`org/team`) or local groups. */
  adminGroups: string[]
}

/**
 * Whether a person is a platform admin right now: flagged in the users table (the first admin,
 * the bootstrap user), listed in NUXT_ADMIN_USERS, or in one of mctl.yaml's adminGroups.
 * Decided at every request, so removing someone from a group takes effect at once.
 */
export function decideAdmin(person: { userId: string, flagged: boolean, groups: string[] }, rules: AdminRules): boolean {
  return person.flagged
    || rules.adminUsers.includes(person.userId)
    || rules.adminGroups.some(g => person.groups.includes(g))
}

export interface Subject {
  tenant?: string
  spec?: TenantSpec
  /** Who asked for the thing (an operation's requester may always look at it). */
  requester?: string
  /**
   * The answer for a thing of that name that does not exist (an incident, an operation run),
   * given to a caller who may not see the tenant it is in. Without it: the tenant's.
   */
  unknown?: AppError
}

/**
 * Throws unless `identity` passes `rule`. A caller who may not see the tenant (not a member,
 * not an admin) gets exactly the answer for a tenant, or a thing, that does not exist (404):
 * no existence oracle. A member without the owner role for an owner-only action gets 403.
 */
export function authorize(identity: Identity, rule: Access, subject: Subject = {}): void {
  if (rule === 'authenticated' || identity.isAdmin) return
  if (rule === 'admin') throw forbidden('This needs a platform admin')
  if (subject.requester && subject.requester === identity.userId) return
  const role = roleIn(identity, subject.spec)
  if (!role) {
    if (subject.unknown) throw subject.unknown
    if (subject.tenant) throw notFound(`Tenant "${subject.tenant}" not found`)
    throw forbidden('Not allowed')
  }
  if (rule === 'member' || role === 'owner') return
  throw forbidden(`Only an owner of tenant "${subject.tenant}" (or an admin) may do this`)
}

/**
 * Anything that changes state needs the `write` scope, whatever the identity: a read-only
 * personal token, an OAuth token granted `read` only (a browser session has both scopes).
 * Every such route and every write tool calls this, so the rule and its message are one.
 * The 403 carries the insufficient_scope challenge (RFC 6750 §3.1) with which an OAuth client
 * steps up: it asks the person again, for the write scope.
 */
export function requireWrite(identity: Identity, what: string): void {
  if (identity.scopes.includes('write')) return
  const metadata = identity.resourceMetadata ? `, resource_metadata="${identity.resourceMetadata}"` : ''
  throw new AppError(403, `This token has the read scope only; ${what} needs a token with the write scope`, undefined,
    { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="write"${metadata}` })
}

export function canSee(identity: Identity, tenant: TenantSpec | undefined): boolean {
  return identity.isAdmin || roleIn(identity, tenant) !== null
}
