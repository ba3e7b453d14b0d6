import { errorMessage, unauthorized } from '../utils/errors'

/** Who a GitHub token belongs to, as MCTL uses it (no repository access is ever needed). */
export interface GithubPerson {
  login: string
  name: string
  email: string
  /** `org/team-slug`, lower case; empty unless team mapping is on and the token may read orgs. */
  teams: string[]
}

const TIMEOUT_MS = 5_000
const MAX_PAGES = 10

/**
 * The few GitHub REST calls identity needs: /user and /user/teams, against a configurable API
 * root (github.com, GitHub Enterprise Server, or a loopback fake in tests). The token is used
 * for these calls only and never stored or passed on.
 */
export class GithubIdentity {
  constructor(private readonly apiUrl: string, private readonly withTeams: boolean) {}

  async person(token: string): Promise<GithubPerson> {
    const user = await this.get(token, '/user') as { login?: string, name?: string | null, email?: string | null }
    if (!user.login) throw new Error('GitHub /user answered without a login')
    return {
      login: user.login.toLowerCase(),
      name: user.name || user.login,
      email: user.email ?? '',
      teams: this.withTeams ? await this.teams(token) : [],
    }
  }

  /** Teams as `org/slug`. A token without read:org gets 403 from GitHub: no teams, not an error. */
  private async teams(token: string): Promise<string[]> {
    const found: string[] = []
    let path: string | null = '/user/teams?per_page=100'
    for (let page = 0; path && page < MAX_PAGES; page++) {
      const res = await this.request(token, path)
      if (res.status === 403 || res.status === 404) return []
      if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`)
      const teams = await res.json() as { slug?: string, organization?: { login?: string } }[]
      for (const t of teams) {
        if (t.slug && t.organization?.login) found.push(`${t.organization.login.toLowerCase()}/${t.slug.toLowerCase()}`)
      }
      path = nextPage(res.headers.get('link'), this.apiUrl)
    }
    return [...new Set(found)].sort()
  }

  private async get(token: string, path: string): Promise<unknown> {
    const res = await this.request(token, path)
    if (res.status === 401) throw unauthorized('GitHub did not accept the token')
    if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`)
    return res.json()
  }

  private async request(token: string, path: string): Promise<Response> {
    try {
      return await fetch(`${this.apiUrl}${path}`, {
        headers: {
          'Authorization': `Bearer ${token}`,
          'Accept': 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'mctl',
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      })
    }
    catch (err) {
      throw new Error(`Could not reach GitHub at ${this.apiUrl}: ${errorMessage(err)}`)
    }
  }
}

/** The `rel="next"` path of a GitHub Link header, if it stays on the same API root. */
function nextPage(link: string | null, apiUrl: string): string | null {
  const next = link?.split(',').map(s => /<([^>]+)>;\s*rel="next"/.exec(s)?.[1]).find(Boolean)
  return next?.startsWith(apiUrl) ? next.slice(apiUrl.length) : null
}

/** Token shapes GitHub issues (classic 40-hex and the prefixed kinds); others are never sent to GitHub. */
export const GITHUB_TOKEN = /^(gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}|[0-9a-f]{40})$/
