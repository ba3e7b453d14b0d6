import { z } from 'zod'
import { roleIn } from '../../auth/access'
import { defineTool, READ } from '../define'

export default defineTool({
  name: 'mctl_whoami',
  title: 'Who am I',
  description: 'Who is calling: user, identity provider, token type, groups, admin status, and your tenants with your role.',
  input: z.object({}),
  output: z.object({
    userId: z.string(),
    displayName: z.string(),
    provider: z.string().describe('Identity provider: local, github, oidc'),
    tokenType: z.string().describe('personal, bootstrap, oauth, oidc, github or session'),
    groups: z.array(z.string()),
    isAdmin: z.boolean(),
    scopes: z.array(z.string()),
    tenants: z.array(z.object({ name: z.string(), role: z.enum(['owner', 'member']) })),
    namespaces: z.array(z.string()),
    serverUrl: z.string(),
  }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/whoami' },
  async handler({ identity, services: { index, settings } }) {
    const tenants = [...index.tenants].flatMap(([name, spec]) => {
      const role = roleIn(identity, spec)
      return role ? [{ name, role }] : []
    }).sort((a, b) => a.name.localeCompare(b.name))
    return {
      userId: identity.userId,
      displayName: identity.displayName,
      provider: identity.provider,
      tokenType: identity.tokenType,
      groups: identity.groups,
      isAdmin: identity.isAdmin,
      scopes: identity.scopes,
      tenants,
      namespaces: tenants.map(t => t.name),
      serverUrl: `${settings.baseUrl}/mcp`,
    }
  },
})
