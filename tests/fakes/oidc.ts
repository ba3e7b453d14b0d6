// A loopback OpenID Connect issuer (think Dex): discovery, JWKS, authorization code with PKCE
// and nonce, token endpoint issuing RS256 ID tokens with a groups claim.
import { createHash, randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { clientCredentials, close, json, listen, params, redirect } from './http'

export interface FakeOidcUser { sub: string, preferred_username?: string, name?: string, email?: string, groups?: string[] }

export interface FakeOidc {
  issuer: string
  clientId: string
  clientSecret: string
  addUser(user: FakeOidcUser): void
  signIn(sub: string | null): void
  /** A signed token of this issuer for `sub` (defaults: our client as audience, valid 1 h). */
  mint(sub: string, opts?: { audience?: string, expiresIn?: number, extra?: Record<string, unknown> }): Promise<string>
  close(): Promise<void>
}

export async function startFakeOidc(): Promise<FakeOidc> {
  const clientId = 'mctl'
  const clientSecret = randomBytes(16).toString('hex')
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk: JWK = { ...await exportJWK(publicKey), kid: 'fake-1', alg: 'RS256', use: 'sig' }
  const users = new Map<string, FakeOidcUser>()
  const codes = new Map<string, { sub: string, redirectUri: string, challenge: string, nonce?: string }>()
  let signedIn: string | null = null
  let issuer = ''

  const mint = async (sub: string, opts: { audience?: string, expiresIn?: number, extra?: Record<string, unknown> } = {}) => {
    const user = users.get(sub)
    if (!user) throw new Error(`unknown user ${sub}`)
    const now = Math.floor(Date.now() / 1000)
    return new SignJWT({ ...user, ...opts.extra })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-1', typ: 'JWT' })
      .setIssuer(issuer).setAudience(opts.audience ?? clientId).setSubject(sub)
      .setIssuedAt(now).setExpirationTime(now + (opts.expiresIn ?? 3600))
      .sign(privateKey)
  }

  const { server, url } = await listen(async (req, res, u, body) => {
    switch (u.pathname) {
      case '/.well-known/openid-configuration':
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/keys`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: ['openid', 'profile', 'email', 'groups'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          claims_supported: ['sub', 'name', 'email', 'preferred_username', 'groups'],
        })
      case '/keys':
        return json(res, 200, { keys: [jwk] })
      case '/auth': {
        const q = u.searchParams
        if (q.get('client_id') !== clientId) return json(res, 400, { error: 'invalid_client' })
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return json(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 required' })
        if (!signedIn) return json(res, 401, { error: 'login_required' })
        const code = randomBytes(12).toString('hex')
        codes.set(code, { sub: signedIn, redirectUri: q.get('redirect_uri')!, challenge: q.get('code_challenge')!, nonce: q.get('nonce') ?? undefined })
        const back = new URL(q.get('redirect_uri')!)
        back.searchParams.set('code', code)
        back.searchParams.set('state', q.get('state') ?? '')
        return redirect(res, back.href)
      }
      case '/token': {
        const p = params(req, body)
        const client = clientCredentials(req, p)
        if (client.id !== clientId || client.secret !== clientSecret) return json(res, 401, { error: 'invalid_client' })
        const grant = codes.get(p.code ?? '')
        codes.delete(p.code ?? '')
        const verifierOk = grant && createHash('sha256').update(p.code_verifier ?? '').digest('base64url') === grant.challenge
        if (!grant || !verifierOk || grant.redirectUri !== p.redirect_uri) return json(res, 400, { error: 'invalid_grant' })
        return json(res, 200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 3600,
          id_token: await mint(grant.sub, { extra: grant.nonce ? { nonce: grant.nonce } : {} }),
        })
      }
      default:
        return json(res, 404, { error: 'not_found' })
    }
  })
  issuer = url

  return {
    issuer,
    clientId,
    clientSecret,
    addUser: user => users.set(user.sub, user),
    signIn: (sub) => { signedIn = sub },
    mint,
    close: () => close(server),
  }
}
