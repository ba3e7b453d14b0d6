import { z } from 'zod'
import { tenantRef } from '../../gitops/names'
import { conflict } from '../../utils/errors'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { register, tenantRepos, unregister } from '../../domain/repos/grants'

export default defineTool({
  name: 'mctl_sync_repos',
  title: 'Sync repositories',
  description: 'Register the repositories the tenant\'s GitHub App installations can access; remove those they no longer can.',
  input: z.object({ team: tenantRef('Tenant') }),
  output: z.object({ added: z.array(z.string()), removed: z.array(z.string()), count: z.number().int().describe('Repositories registered after the sync') }),
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'POST', path: '/api/v1/tenants/{team}/repos/sync' },
  async handler({ identity, services: { db, githubApp } }, { team }) {
    const known = tenantRepos(db, team)
    const installations = [...new Set(known.map(r => r.installationId))]
    if (!installations.length) throw conflict(`No GitHub App installation is known for tenant "${team}" yet: register a repository with mctl_grant_repo_access first`)
    const added: string[] = [], removed: string[] = []
    for (const installationId of installations) {
      const accessible = await githubApp.installationRepos(installationId)
      const names = new Set(accessible.map(r => r.fullName))
      for (const repo of accessible) {
        if (!known.some(k => k.fullName === repo.fullName)) added.push(repo.fullName)
        register(db, team, repo, installationId, identity.userId)
      }
      for (const k of known.filter(k => k.installationId === installationId && !names.has(k.fullName))) {
        unregister(db, team, k.fullName)
        removed.push(k.fullName)
      }
    }
    return { added: added.sort(), removed: removed.sort(), count: tenantRepos(db, team).length }
  },
})
