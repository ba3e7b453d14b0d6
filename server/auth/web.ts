import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { H3Event } from 'h3'
import { deleteCookie, getCookie, getRequestHeader } from 'h3'
import type { User } from '../db/schema'
import type { Services } from '../services'
import { forbidden, unauthorized } from '../utils/errors'
import { clientIp, clientOf } from '../utils/http'
import type { Caller, Identity } from './identity'
import { activeWebSession, endWebSession, startWebSession } from './sessions'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** oidc-provider's own session cookies (and their signatures). */
const OAUTH_SESSION_COOKIES = ['_session', '_session.sig', '_session.legacy', '_session.legacy.sig']

/**
 * Browser requests that change state must come from our own pages: the Origin (sent by every
 * browser on such requests) must be ours, and a cross-site fetch metadata header is refused.
 */
export function assertSameOrigin(event: H3Event, services: Services) {
  const origin = getRequestHeader(event, 'origin')
  if (origin && !services.settings.allowedOrigins.includes(origin)) {
    // Most often not an attack but MCTL opened at another address than its base URL.
    const base = services.settings.baseUrl
    throw forbidden(`Cross-site request refused (origin ${origin}): MCTL's base URL is ${base}. Open MCTL at ${base}, or set NUXT_PUBLIC_BASE_URL=${origin} (or add ${origin} to NUXT_ALLOWED_ORIGINS) and restart`)
  }
  if (getRequestHeader(event, 'sec-fetch-site') === 'cross-site') throw forbidden('Cross-site request refused')
}

/**
 * The signed-in person of this browser session: the session still recorded on the server (a
 * copy of the cookie dies with it at sign-out or revocation) and the person still in the
 * directory. Unsafe methods also need the session's CSRF token in `x-csrf-token` (double
 * submit: a foreign page can neither read the token nor set the header without a CORS
 * preflight we never allow).
 */
export async function webUser(event: H3Event, services: Services): Promise<User | null> {
  const session = await getUserSession(event)
  if (!session.user) return null
  const record = activeWebSession(services.db, session.secure?.sid)
  const user = record && services.directory.find(record.userId)
  if (!user) {
    await clearUserSession(event)
    return null
  }
  if (UNSAFE.has(event.method)) {
    assertSameOrigin(event, services)
    const sent = Buffer.from(getRequestHeader(event, 'x-csrf-token') ?? '')
    const expected = Buffer.from(session.csrf ?? '')
    if (!expected.length || sent.length !== expected.length || !timingSafeEqual(sent, expected))
      throw forbidden('Missing or wrong CSRF token: reload the page and try again')
  }
  return user
}

export async function requireWebUser(event: H3Event, services: Services): Promise<User> {
  const user = await webUser(event, services)
  if (!user) throw unauthorized('Sign in first')
  return user
}

export async function webIdentity(event: H3Event, services: Services): Promise<Identity | null> {
  const user = await webUser(event, services)
  return user ? services.directory.identity(user, 'session', ['read', 'write']) : null
}

/**
 * Who calls an API route: scripts and clients send a bearer token; the web app rides on its
 * session (CSRF-checked). Neither: the 401 challenge for `path`.
 */
export async function requestIdentity(event: H3Event, services: Services, path = event.path.split('?')[0]!): Promise<Identity> {
  const authorization = getRequestHeader(event, 'authorization')
  const ip = clientIp(event, services.settings.trustProxy)
  if (authorization) return services.verifier.verify(authorization, path, ip)
  return await webIdentity(event, services) ?? services.verifier.verify(undefined, path, ip)
}

/** The client an API call came through, for the audit log: the web app, or a script. */
export const clientKind = (identity: Identity) => identity.tokenType === 'session' ? 'web' : 'api'

function dropOAuthSession(event: H3Event) {
  for (const name of OAUTH_SESSION_COOKIES) {
    if (getCookie(event, name) !== undefined) deleteCookie(event, name, { path: '/' })
  }
}

/**
 * Starts a fresh session for `user` (a new CSRF token each time), recorded on the server, and
 * marks them seen now (whatever the way in: password, setup link, GitHub, OIDC); a
 * session this browser had before ends. The OAuth server's own session is dropped too, so an
 * authorization never continues as the previous person.
 */
export async function signIn(event: H3Event, services: Services, user: User) {
  dropOAuthSession(event)
  endWebSession(services.db, (await getUserSession(event)).secure?.sid)
  const sid = startWebSession(services.db, user.id, {
    userAgent: getRequestHeader(event, 'user-agent') ?? '',
    ip: clientIp(event, services.settings.trustProxy),
  }, services.settings.sessionMaxAge)
  services.directory.touch(user.id)
  await replaceUserSession(event, {
    user: { id: user.id, name: user.displayName, provider: user.provider },
    csrf: randomBytes(24).toString('base64url'),
    loggedInAt: new Date().toISOString(),
    secure: { sid },
  })
}

/** Ends this browser's session: its server record goes too (the `clear` hook, plugins/web-sessions). */
export async function signOut(event: H3Event) {
  dropOAuthSession(event)
  await clearUserSession(event)
}

export function callerOf(event: H3Event, identity: Identity, fallbackClient: string, trustProxy = false): Caller {
  return { identity, client: clientOf(event, fallbackClient), ip: clientIp(event, trustProxy) }
}
