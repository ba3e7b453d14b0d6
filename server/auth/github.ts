import { errorMessage, forbidden, unauthorized } from '../utils/errors'

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
 * The few GitHub REST calls identity needs: /user, /user/teams and /user/orgs, against a
 * configurable API root (github.com, GitHub Enterprise Server, or a loopback fake in tests).
 * The token is used for these calls only and never stored or passed on.
 */
export class GithubIdentity {
  /**
   * `orgs` (NUXT_OAUTH_GITHUB_ORGS, lower case): when any, only their members are accepted,
   * at sign-in and as bearer tokens; empty: any GitHub account.
   */
  constructor(private readonly apiUrl: string, private readonly withTeams: boolean, private readonly orgs: string[]) {}

  /** Who the token belongs to; 403 naming the allowed organisations for anyone outside them. */
  async person(token: string): Promise<GithubPerson> {
    const user = await this.get(token, '/user') as { login?: string, name?: string | null, email?: string | null }
    if (!user.login) throw new Error('GitHub /user answered without a login')
    const login = user.login.toLowerCase()
    if (this.orgs.length) {
      const memberOf = new Set(await this.list(token, '/user/orgs?per_page=100', (o: { login?: string }) => o.login?.toLowerCase()))
      if (!this.orgs.some(o => memberOf.has(o))) {
        const allowed = this.orgs.length === 1 ? `the GitHub organisation ${this.orgs[0]}` : `one of the GitHub organisations ${this.orgs.join(', ')}`
        throw forbidden(`Only members of ${allowed} may use MCTL with a GitHub account; GitHub does not show "${login}" as a member (a token needs the read:org scope to show private memberships)`)
      }
    }
    return {
      login,
      name: user.name || user.login,
      email: user.email ?? '',
      teams: this.withTeams ? await this.teams(token) : [],
    }
  }

  /** Teams as `org/slug`. */
  private async teams(token: string): Promise<string[]> {
    const found = await this.list(token, '/user/teams?per_page=100', (t: { slug?: string, organization?: { login?: string } }) =>
      t.slug && t.organization?.login ? `${t.organization.login.toLowerCase()}/${t.slug.toLowerCase()}` : undefined)
    return [...new Set(found)].sort()
  }

  /**
   * Every page of a GitHub list, each item mapped (undefined: skipped). A token without
   * read:org gets 403 from GitHub on team and org lists: an empty list, not an error.
   */
  private async list<T>(token: string, first: string, map: (item: T) => string | undefined): Promise<string[]> {
    const found: string[] = []
    let path: string | null = first
    for (let page = 0; path && page < MAX_PAGES; page++) {
      const res = await this.request(token, path)
      if (res.status === 403 || res.status === 404) return []
      if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`)
      for (const item of await res.json() as T[]) {
        const value = map(item)
        if (value) found.push(value)
      }
      path = nextPage(res.headers.get('link'), this.apiUrl)
    }
    return found
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
