import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { signGrant } from '../../domain/repos/grants'
import { repoName } from './schemas'

export default defineTool({
  name: 'mctl_grant_repo_access',
  title: 'Grant repository access',
  description: 'The GitHub App install link for a repository; once its owner installs the app, MCTL registers the repository for the tenant.',
  input: z.object({
    team: tenantRef('Tenant the repository is for'),
    repo: repoName.describe('Repository, "owner/name"'),
    service: serviceName('Service built from this repository').optional(),
  }),
  output: z.object({ install_url: z.string(), team: z.string(), repo: z.string(), expires_at: z.string(), message: z.string() }),
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'POST', path: '/api/v1/tenants/{team}/repos' },
  async handler({ identity, services: { githubApp, keys } }, { team, repo, service }) {
    const { state, expiresAt } = await signGrant(keys.grants, { tenant: team, repo, service, userId: identity.userId })
    return {
      install_url: githubApp.installUrl(state),
      team,
      repo,
      expires_at: expiresAt,
      message: `Open the link within an hour and install the MCTL GitHub App on ${repo}; MCTL registers it for ${team} when GitHub sends you back.`,
    }
  },
})
