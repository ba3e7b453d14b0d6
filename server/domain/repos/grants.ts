import { and, eq } from 'drizzle-orm'
import { jwtVerify, SignJWT } from 'jose'
import type { Db } from '../../db'
import { repositories } from '../../db/schema'
import type { GitHubApp, InstallationRepo } from '../../adapters/github'
import type { Logger } from '../../utils/logger'
import { AppError, conflict, invalid } from '../../utils/errors'

const AUDIENCE = 'mctl-repo-grant'
const TTL_SECONDS = 3600

export interface Grant { tenant: string, repo: string, service?: string, userId: string }

/** The state carried through GitHub's install page: who asked for which repo, signed, 1 hour. */
export async function signGrant(key: Uint8Array, g: Grant) {
  const exp = Math.floor(Date.now() / 1000) + TTL_SECONDS
  const state = await new SignJWT({ tenant: g.tenant, repo: g.repo, service: g.service }).setProtectedHeader({ alg: 'HS256' })
    .setSubject(g.userId).setAudience(AUDIENCE).setExpirationTime(exp).sign(key)
  return { state, expiresAt: new Date(exp * 1000).toISOString() }
}

export async function verifyGrant(key: Uint8Array, state: string): Promise<Grant> {
  try {
    const { payload } = await jwtVerify(state, key, { audience: AUDIENCE, algorithms: ['HS256'] })
    return { tenant: String(payload.tenant), repo: String(payload.repo), service: payload.service ? String(payload.service) : undefined, userId: String(payload.sub) }
  }
  catch {
    throw new AppError(400, 'The repository grant link is invalid or has expired: ask for a new one with mctl_grant_repo_access')
  }
}

export function register(db: Db, tenant: string, repo: InstallationRepo, installationId: number, by: string, service?: string) {
  db.insert(repositories).values({ tenant, fullName: repo.fullName, private: repo.private, defaultBranch: repo.defaultBranch, installationId, service, registeredBy: by })
    .onConflictDoUpdate({ target: [repositories.tenant, repositories.fullName], set: { private: repo.private, defaultBranch: repo.defaultBranch, installationId } }).run()
}

/** GET /api/v1/repos/callback: GitHub sends the person back here after installing the app. */
export async function completeGrant(services: { keys: { grants: Buffer }, githubApp: GitHubApp, db: Db, logger: Logger }, query: Record<string, unknown>) {
  const grant = await verifyGrant(services.keys.grants, String(query.state ?? ''))
  const installationId = Number(query.installation_id)
  if (!Number.isInteger(installationId) || installationId <= 0) throw invalid('installation_id: must be a positive integer')
  const repos = await services.githubApp.installationRepos(installationId)
  const repo = repos.find(r => r.fullName.toLowerCase() === grant.repo.toLowerCase())
  if (!repo) throw conflict(`The installation does not include ${grant.repo}: grant the MCTL app access to it on GitHub and try again`)
  register(services.db, grant.tenant, repo, installationId, grant.userId, grant.service)
  services.logger.info('repos.registered', { tenant: grant.tenant, repo: repo.fullName, installationId })
  return { tenant: grant.tenant, repo: repo.fullName }
}

export function tenantRepos(db: Db, tenant: string) {
  return db.select().from(repositories).where(eq(repositories.tenant, tenant)).orderBy(repositories.fullName).all()
}

/** Forgets one repository of the tenant, or (no `fullName`) all of them. */
export function unregister(db: Db, tenant: string, fullName?: string) {
  db.delete(repositories).where(and(eq(repositories.tenant, tenant), fullName ? eq(repositories.fullName, fullName) : undefined)).run()
}
