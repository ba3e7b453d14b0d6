import type { EventHandler, H3Event } from 'h3'
import { deleteCookie, getCookie, getQuery, sendRedirect, setCookie } from 'h3'
import type { User } from '../db/schema'
import type { Services } from '../services'
import { errorMessage } from '../utils/errors'
import { clientIp } from '../utils/http'
import type { Profile } from './users'
import { safeRedirect } from '../../shared/utils/redirect'
import { signIn } from './web'

const AFTER_LOGIN = 'mctl-after-login'

/** Sign-in attempts count against the per-IP limit of login endpoints (AUTH.md). */
export function limitSignIn(event: H3Event, services: Services) {
  services.limits.take(`ip:sign-ins:${clientIp(event, services.settings.trustProxy)}`, services.settings.rateLimit.authPerMinute, 'sign-in attempts')
}

/**
 * Wraps a nuxt-auth-utils OAuth handler: remembers where to go afterwards across the round
 * trip to the identity provider, records the person, starts the session. Failures land on
 * /login with a message, never a stack trace.
 */
function externalSignIn(services: Services, provider: 'github' | 'oidc', make: (done: Done) => EventHandler): EventHandler {
  const handler = make({
    async onSuccess(event, profile) {
      const user: User = services.directory.upsertExternal(provider, profile)
      await signIn(event, services, user)
      services.logger.info('auth.signed_in', { user: user.id, provider })
      const target = safeRedirect(getCookie(event, AFTER_LOGIN))
      deleteCookie(event, AFTER_LOGIN, { path: '/' })
      return sendRedirect(event, target)
    },
    async onError(event, err) {
      services.logger.warn('auth.sign_in_failed', { provider, error: errorMessage(err) })
      return sendRedirect(event, `/login?error=${encodeURIComponent(errorMessage(err))}`)
    },
  })
  return async (event) => {
    limitSignIn(event, services)
    const query = getQuery(event)
    if (!query.code && !query.error) {
      setCookie(event, AFTER_LOGIN, safeRedirect(query.redirect), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 600, secure: services.settings.baseUrl.startsWith('https:') })
    }
    return handler(event)
  }
}

interface Done {
  onSuccess(event: H3Event, profile: Profile): Promise<void>
  onError(event: H3Event, err: unknown): Promise<void>
}

const guarded = (done: Done, toProfile: (result: any) => Promise<Profile>) => ({
  async onSuccess(event: H3Event, result: unknown): Promise<void> {
    try {
      return await done.onSuccess(event, await toProfile(result))
    }
    catch (err) {
      return done.onError(event, err)
    }
  },
  onError: (event: H3Event, err: unknown) => done.onError(event, err),
})

/** GET /auth/github: GitHub OAuth (read:user, user:email; read:org only for teams or allowed organisations). */
export function githubSignIn(services: Services): EventHandler {
  const gh = services.settings.github
  return externalSignIn(services, 'github', done => defineOAuthGitHubEventHandler({
    config: {
      clientId: gh.clientId,
      clientSecret: gh.clientSecret,
      authorizationURL: `${gh.url}/login/oauth/authorize`,
      tokenURL: `${gh.url}/login/oauth/access_token`,
      apiURL: gh.apiUrl,
      redirectURL: `${services.settings.baseUrl}/auth/github`,
      scope: ['read:user', 'user:email', ...(gh.teams || gh.orgs.length ? ['read:org'] : [])],
    },
    // The GitHub token is used here once, to learn who this is and their teams, then dropped.
    ...guarded(done, async ({ tokens }: { tokens: { access_token: string } }) => {
      const person = await services.github.person(tokens.access_token)
      return { login: person.login, displayName: person.name, email: person.email, groups: person.teams }
    }),
  }))
}

/** GET /auth/oidc: any OpenID Connect issuer; the ID token is verified against its JWKS. */
export function oidcSignIn(services: Services): EventHandler {
  const oidc = services.oidc!
  const cfg = services.settings.oidc
  return externalSignIn(services, 'oidc', done => defineOAuthOidcEventHandler({
    config: {
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecret,
      openidConfig: oidc.discoveryUrl,
      redirectURL: `${services.settings.baseUrl}/auth/oidc`,
      scope: cfg.scope,
    },
    ...guarded(done, async ({ user, tokens }: { user: Record<string, unknown>, tokens: { id_token?: string } }) => {
      if (!tokens.id_token) throw new Error('the issuer returned no ID token')
      const claims = await oidc.verify(tokens.id_token)
      // Verified ID token claims win over userinfo; userinfo may add groups the token lacks.
      return oidc.profile({ ...user, ...claims })
    }),
  }))
}
