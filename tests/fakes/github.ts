// A loopback GitHub: OAuth web flow (/login/oauth/authorize, /login/oauth/access_token) and
// the REST API under /api/v3 as on GitHub Enterprise Server (/user, /user/teams, /user/orgs,
// /user/emails), with GitHub's status codes and JSON shapes.
import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { clientCredentials, close, json, listen, params, redirect } from './http'

export interface FakeGithubUser {
  login: string
  name?: string
  email?: string | null
  /** `org/team-slug` */
  teams?: string[]
  /** Organisations the user belongs to without a team there (team organisations count too). */
  orgs?: string[]
}

interface Token { login: string, scopes: string[] }

export interface FakeGithub {
  /** Web root (NUXT_GITHUB_URL). */
  url: string
  /** REST root (NUXT_GITHUB_API_URL). */
  apiUrl: string
  clientId: string
  clientSecret: string
  addUser(user: FakeGithubUser): void
  /** The person signed in to GitHub in the browser; authorize requests approve as them. */
  signIn(login: string | null): void
  /** A token as `gh auth token` or a PAT would be; `read:org` lets it list teams. */
  issueToken(login: string, scopes?: string[]): string
  revokeToken(token: string): void
  /** API requests seen, as "METHOD /path" (to check caching). */
  calls: string[]
  close(): Promise<void>
}

const API = '/api/v3'

export async function startFakeGithub(): Promise<FakeGithub> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`
  const clientSecret = randomBytes(20).toString('hex')
  const users = new Map<string, FakeGithubUser & { id: number }>()
  const tokens = new Map<string, Token>()
  const codes = new Map<string, { login: string, scopes: string[], redirectUri: string }>()
  const calls: string[] = []
  let signedIn: string | null = null

  const issue = (login: string, scopes: string[]) => {
    const token = `gho_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`
    tokens.set(token, { login, scopes })
    return token
  }

  const { server, url } = await listen((req, res, u, body) => {
    if (u.pathname === '/login/oauth/authorize' && req.method === 'GET') {
      if (u.searchParams.get('client_id') !== clientId) return json(res, 404, { message: 'Not Found' })
      if (!signedIn) return html(res, 401, 'Sign in to GitHub to continue')
      const code = randomBytes(10).toString('hex')
      const redirectUri = u.searchParams.get('redirect_uri') ?? ''
      codes.set(code, { login: signedIn, scopes: (u.searchParams.get('scope') ?? '').split(/[ ,]+/).filter(Boolean), redirectUri })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      back.searchParams.set('state', u.searchParams.get('state') ?? '')
      return redirect(res, back.href)
    }
    if (u.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const p = params(req, body)
      const client = clientCredentials(req, p)
      const grant = codes.get(p.code ?? '')
      codes.delete(p.code ?? '')
      // GitHub answers token errors with 200 and an error field.
      const answer = client.id !== clientId || client.secret !== clientSecret
        ? { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' }
        : !grant || (p.redirect_uri && p.redirect_uri !== grant.redirectUri)
            ? { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' }
            : { access_token: issue(grant.login, grant.scopes), token_type: 'bearer', scope: grant.scopes.join(',') }
      if ((req.headers.accept ?? '').includes('json')) return json(res, 200, answer)
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' })
      return res.end(new URLSearchParams(answer as Record<string, string>).toString())
    }
    if (!u.pathname.startsWith(`${API}/`)) return json(res, 404, { message: 'Not Found' })

    const path = u.pathname.slice(API.length)
    calls.push(`${req.method} ${path}`)
    const presented = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const token = presented ? tokens.get(presented) : undefined
    const user = token ? users.get(token.login) : undefined
    if (!token || !user) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' })
    const headers = { 'x-oauth-scopes': token.scopes.join(', ') }
    const canReadOrg = token.scopes.includes('read:org') || token.scopes.includes('admin:org')
    const orgs = [...new Set([...(user.orgs ?? []), ...(user.teams ?? []).map(t => t.split('/')[0]!)])]
    switch (path) {
      case '/user':
        return json(res, 200, {
          login: user.login, id: user.id, node_id: `U_${user.id}`, avatar_url: `https://avatars.example/u/${user.id}`,
          type: 'User', site_admin: false, name: user.name ?? null, email: user.email ?? null,
        }, headers)
      case '/user/emails':
        return json(res, 200, user.email ? [{ email: user.email, primary: true, verified: true, visibility: 'private' }] : [], headers)
      case '/user/orgs':
        return json(res, 200, canReadOrg ? orgs.map((login, i) => ({ login, id: 1000 + i })) : [], headers)
      case '/user/teams':
        if (!canReadOrg) return json(res, 403, { message: 'Resource not accessible by integration', status: '403' }, headers)
        return json(res, 200, (user.teams ?? []).map((t, i) => {
          const [org, slug] = t.split('/') as [string, string]
          return { id: 2000 + i, slug, name: slug, privacy: 'closed', permission: 'pull', organization: { login: org, id: 1000 + orgs.indexOf(org) } }
        }), headers)
      default:
        return json(res, 404, { message: 'Not Found' })
    }
  })

  let nextId = 1
  return {
    url,
    apiUrl: `${url}${API}`,
    clientId,
    clientSecret,
    addUser: user => users.set(user.login, { ...user, id: nextId++ }),
    signIn: (login) => { signedIn = login },
    issueToken: (login, scopes = ['repo', 'read:org']) => issue(login, scopes),
    revokeToken: token => tokens.delete(token),
    calls,
    close: () => close(server),
  }
}

function html(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/html' })
  res.end(`<!doctype html><title>GitHub</title><p>${text}</p>`)
}
