import { describe, expect, it } from 'vitest'
import { authorize, decideAdmin, requireWrite, roleIn } from '../../server/auth/access'
import type { Identity } from '../../server/auth/identity'
import { TenantSpec } from '../../server/gitops/specs'
import { type AppError, notFound } from '../../server/utils/errors'

const spec = TenantSpec.parse({
  displayName: 'Billing',
  members: [{ userId: 'olga', role: 'owner' }, { userId: 'mia', role: 'member' }],
  groups: ['acme/payments'],
  quotas: { cpu: '2', memory: '4Gi', pods: 10 },
})
const who = (userId: string, extra: Partial<Identity> = {}): Identity =>
  ({ userId, displayName: userId, email: '', provider: 'local', tokenType: 'personal', groups: [], isAdmin: false, scopes: ['read', 'write'], ...extra })

const people = {
  admin: who('root', { isAdmin: true }),
  owner: who('olga'),
  member: who('mia'),
  teamMember: who('tim', { groups: ['acme/payments'] }),
  outsider: who('otto'),
}

describe('access rules', () => {
  it('needs the write scope for any change, an admin\'s read-only token included; a session has it', () => {
    expect(() => requireWrite(who('root', { isAdmin: true, scopes: ['read'] }), 'inviting people'))
      .toThrow('This token has the read scope only; inviting people needs a token with the write scope')
    expect(() => requireWrite(who('olga', { tokenType: 'oauth', scopes: [] }), 'inviting people')).toThrow(/read scope only/)
    expect(() => requireWrite(who('root', { isAdmin: true, tokenType: 'session' }), 'inviting people')).not.toThrow()
  })

  it('refuses a missing write scope with the insufficient_scope challenge of the resource the token was sent to', () => {
    const refusal = (identity: Identity) => {
      try { requireWrite(identity, 'inviting people') }
      catch (err) { return err as AppError }
      throw new Error('not refused')
    }
    const metadata = 'https://mctl.example.com/.well-known/oauth-protected-resource/mcp'
    expect(refusal(who('olga', { tokenType: 'oauth', scopes: ['read'], resourceMetadata: metadata }))).toMatchObject({
      status: 403,
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="write", resource_metadata="${metadata}"` },
    })
    expect(refusal(who('olga', { scopes: ['read'] })).headers).toEqual({ 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="write"' })
  })

  it('derives roles from members and groups', () => {
    expect(roleIn(people.owner, spec)).toBe('owner')
    expect(roleIn(people.member, spec)).toBe('member')
    expect(roleIn(people.teamMember, spec)).toBe('member')
    expect(roleIn(people.outsider, spec)).toBeNull()
  })

  const table: [keyof typeof people, 'authenticated' | 'member' | 'owner' | 'admin', boolean][] = [
    ['admin', 'admin', true], ['owner', 'admin', false], ['outsider', 'authenticated', true],
    ['admin', 'owner', true], ['owner', 'owner', true], ['member', 'owner', false], ['teamMember', 'owner', false], ['outsider', 'owner', false],
    ['admin', 'member', true], ['owner', 'member', true], ['member', 'member', true], ['teamMember', 'member', true], ['outsider', 'member', false],
  ]
  it.each(table)('%s on a %s tool → %s', (person, rule, allowed) => {
    const run = () => authorize(people[person], rule, { tenant: 'billing', spec })
    if (allowed) expect(run).not.toThrow()
    else expect(run).toThrow(person === 'outsider' ? 'Tenant "billing" not found' : /admin|owner/)
  })

  const refusal = (run: () => void) => {
    try { run() }
    catch (err) { return { status: (err as AppError).status, message: (err as AppError).message } }
    throw new Error('not refused')
  }

  it('answers someone who may not see the tenant exactly as for a tenant that does not exist', () => {
    const missing = refusal(() => authorize(people.outsider, 'member', { tenant: 'billing' }))
    expect(missing).toEqual({ status: 404, message: 'Tenant "billing" not found' })
    for (const rule of ['member', 'owner'] as const)
      expect(refusal(() => authorize(people.outsider, rule, { tenant: 'billing', spec }))).toEqual(missing)
  })

  it('answers with the subject\'s own not-found when it has one (an incident, a run), also with no tenant', () => {
    const unknown = notFound('Incident "INC-7" not found')
    expect(() => authorize(people.outsider, 'member', { tenant: 'billing', spec, unknown })).toThrow(unknown)
    expect(() => authorize(people.member, 'owner', { unknown })).toThrow(unknown)
    expect(() => authorize(people.member, 'member', { tenant: 'billing', spec, unknown })).not.toThrow()
  })

  it('tells a member that an owner-only action needs an owner (403): they know the tenant', () => {
    expect(refusal(() => authorize(people.member, 'owner', { tenant: 'billing', spec })))
      .toEqual({ status: 403, message: 'Only an owner of tenant "billing" (or an admin) may do this' })
  })

  it('lets the requester see their own operation', () => {
    expect(() => authorize(people.outsider, 'member', { tenant: 'billing', spec, requester: 'otto' })).not.toThrow()
  })

  it('answers 404 for a tenant that does not exist', () => {
    expect(() => authorize(people.outsider, 'member', { tenant: 'ghost' })).toThrow(/Tenant "ghost" not found/)
  })
})

describe('who is an admin', () => {
  const rules = { adminUsers: ['root'], adminGroups: ['acme/platform', 'platform-admins'] }
  it.each([
    ['flagged in the users table', { userId: 'first', flagged: true, groups: [] }, true],
    ['listed in NUXT_ADMIN_USERS', { userId: 'root', flagged: false, groups: [] }, true],
    ['in an admin GitHub team', { userId: 'pat', flagged: false, groups: ['acme/platform'] }, true],
    ['in an admin OIDC group', { userId: 'dana', flagged: false, groups: ['platform-admins'] }, true],
    ['in another team of the same org', { userId: 'tim', flagged: false, groups: ['acme/payments'] }, false],
    ['nobody special', { userId: 'otto', flagged: false, groups: [] }, false],
  ])('%s → %s', (_, person, expected) => {
    expect(decideAdmin(person, rules)).toBe(expected)
  })
})
