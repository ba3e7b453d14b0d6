import { createPrivateKey } from 'node:crypto'
import { Octokit } from '@octokit/rest'
import { SignJWT } from 'jose'
import { AppError, errorMessage } from '../../utils/errors'
import type { GitHubApp, InstallationRepo } from './types'

export interface GitHubAppOptions {
  appId: string
  privateKey: string
  slug: string
  /** https://github.com, or a GitHub Enterprise Server. */
  webUrl: string
  /** https://api.github.com, or `<ghes>/api/v3`. */
  apiUrl: string
  timeoutMs?: number
}

/**
 * The GitHub App API through @octokit/rest: an app JWT (RS256, 9 minutes) buys an
 * installation token, which lists the installation's repositories.
 */
export class OctokitGitHubApp implements GitHubApp {
  private readonly key
  private readonly tokens = new Map<number, { token: string, expires: number }>()

  constructor(private readonly opts: GitHubAppOptions) {
    this.key = createPrivateKey(opts.privateKey.replace(/\\n/g, '\n'))
  }

  installUrl(state: string) {
    return `${this.opts.webUrl.replace(/\/$/, '')}/apps/${encodeURIComponent(this.opts.slug)}/installations/new?state=${encodeURIComponent(state)}`
  }

  async installationRepos(installationId: number): Promise<InstallationRepo[]> {
    const octokit = this.client(await this.installationToken(installationId))
    const repos = await this.call('listing the installation\'s repositories', () =>
      octokit.paginate(octokit.apps.listReposAccessibleToInstallation, { per_page: 100 }))
    return repos.map(r => ({ fullName: r.full_name, private: r.private, defaultBranch: r.default_branch ?? 'main' }))
  }

  async upsertComment(installationId: number, repo: string, number: number, marker: string, body: string): Promise<void> {
    const octokit = this.client(await this.installationToken(installationId))
    const [owner, name] = repo.split('/') as [string, string]
    const where = { owner, repo: name }
    const comments = await this.call(`listing the comments of ${repo}#${number}`, () =>
      octokit.paginate(octokit.issues.listComments, { ...where, issue_number: number, per_page: 100 }))
    // Only a comment the app wrote itself: anyone can paste the marker into theirs.
    const own = comments.find(c => c.user?.login === `${this.opts.slug}[bot]` && c.body?.includes(marker))
    if (own) await this.call(`editing comment ${own.id} of ${repo}#${number}`, () => octokit.issues.updateComment({ ...where, comment_id: own.id, body }))
    else await this.call(`commenting on ${repo}#${number}`, () => octokit.issues.createComment({ ...where, issue_number: number, body }))
  }

  private async installationToken(installationId: number): Promise<string> {
    const cached = this.tokens.get(installationId)
    if (cached && cached.expires - 60_000 > Date.now()) return cached.token
    const now = Math.floor(Date.now() / 1000)
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(this.opts.appId)
      .setIssuedAt(now - 60).setExpirationTime(now + 540).sign(this.key)
    const { data } = await this.call(`getting a token for installation ${installationId}`, () =>
      this.client(jwt).apps.createInstallationAccessToken({ installation_id: installationId }))
    this.tokens.set(installationId, { token: data.token, expires: Date.parse(data.expires_at) })
    return data.token
  }

  private client(auth: string) {
    const timeout = this.opts.timeoutMs ?? 10_000
    return new Octokit({
      auth,
      baseUrl: this.opts.apiUrl.replace(/\/$/, ''),
      userAgent: 'mctl',
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeout) }) },
    })
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    }
    catch (err) {
      const status = (err as { status?: number }).status
      throw new AppError(status === 404 ? 404 : 502, `GitHub App API failed ${what}: ${errorMessage(err)}`)
    }
  }
}
