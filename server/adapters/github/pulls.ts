import { Octokit } from '@octokit/rest'
import { AppError, errorMessage } from '../../utils/errors'
import type { PullRequest, PullRequests } from './types'

export interface PullsOptions { repo: string, token: string, apiUrl: string, timeoutMs?: number }

/** The GitHub pulls API through @octokit/rest, for the repository `owner/name`. */
export class OctokitPulls implements PullRequests {
  private readonly octokit: Octokit
  private readonly owner: string
  private readonly name: string

  constructor(opts: PullsOptions) {
    ;[this.owner, this.name] = opts.repo.split('/') as [string, string]
    const timeout = opts.timeoutMs ?? 10_000
    this.octokit = new Octokit({
      auth: opts.token,
      baseUrl: opts.apiUrl.replace(/\/$/, ''),
      userAgent: 'mctl',
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeout) }) },
    })
  }

  async ensure(p: { head: string, base: string, title: string, body: string }): Promise<PullRequest> {
    const repo = { owner: this.owner, repo: this.name }
    // A retry after a crash must find the pull request it already opened, not open another.
    const open = await this.call(`listing pull requests of ${p.head}`, () =>
      this.octokit.pulls.list({ ...repo, head: `${this.owner}:${p.head}`, base: p.base, state: 'open' }))
    const existing = open.data[0]
    if (existing) return { number: existing.number, url: existing.html_url }
    const { data } = await this.call(`opening a pull request for ${p.head}`, () =>
      this.octokit.pulls.create({ ...repo, head: p.head, base: p.base, title: p.title, body: p.body }))
    return { number: data.number, url: data.html_url }
  }

  async close(number: number, comment: string): Promise<void> {
    await this.comment(number, comment)
    await this.call(`closing pull request #${number}`, () =>
      this.octokit.pulls.update({ owner: this.owner, repo: this.name, pull_number: number, state: 'closed' }))
  }

  async comment(number: number, comment: string): Promise<void> {
    await this.call(`commenting on pull request #${number}`, () =>
      this.octokit.issues.createComment({ owner: this.owner, repo: this.name, issue_number: number, body: comment }))
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    }
    catch (err) {
      throw new AppError(502, `GitHub API failed ${what}: ${errorMessage(err)}`)
    }
  }
}
