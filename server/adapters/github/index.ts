import { AppError } from '../../utils/errors'
import { OctokitGitHubApp } from './app'
import { OctokitPulls } from './pulls'
import type { GitHubApp, PullRequests } from './types'

export type { GitHubApp, InstallationRepo, PullRequest, PullRequests } from './types'

export interface GitHubAppSettings { appId: string, appPrivateKey: string, appSlug: string, url: string, apiUrl: string }

const NOT_CONFIGURED = 'The GitHub App is not configured: set NUXT_GITHUB_APP_ID, NUXT_GITHUB_APP_PRIVATE_KEY and NUXT_GITHUB_APP_SLUG'

/** The GitHub App when its three settings are present; else every call says which are missing. */
export function createGitHubApp(s: GitHubAppSettings): GitHubApp {
  if (!s.appId || !s.appPrivateKey || !s.appSlug) {
    const refuse = () => { throw new AppError(503, NOT_CONFIGURED) }
    return { installUrl: refuse, installationRepos: async () => refuse(), upsertComment: async () => refuse() }
  }
  return new OctokitGitHubApp({ appId: s.appId, privateKey: s.appPrivateKey, slug: s.appSlug, webUrl: s.url, apiUrl: s.apiUrl })
}

/** Pull requests when the GitOps repository is on GitHub and a token is set; else null (branches only). */
export function createPullRequests(s: { repo: string, token: string }, apiUrl: string): PullRequests | null {
  return s.repo && s.token ? new OctokitPulls({ repo: s.repo, token: s.token, apiUrl }) : null
}
