import { describe, expect, it } from 'vitest'
import { GITHUB_TOKEN } from '../../server/auth/github'
import { OidcIssuer } from '../../server/auth/oidc'
import { normalizeLogin } from '../../server/auth/users'
import { loadSettings, prepareSessionEnv, SettingsError } from '../../server/settings'

const base = { dataDir: '/tmp/x', public: { baseUrl: 'https://mctl.example.com' }, session: { password: 'p'.repeat(32) } }

describe('auth settings', () => {
  it('has the documented defaults', () => {
    const s = loadSettings(base)
    expect(s.github).toMatchObject({ url: 'https://github.com', apiUrl: 'https://api.github.com', clientId: '', teams: false, orgs: [], acceptTokens: true })
    expect(s.oidc).toMatchObject({ issuer: '', groupsClaim: 'groups', usernameClaim: 'preferred_username', scope: ['openid', 'profile', 'email', 'groups'] })
    expect(s.rateLimit).toEqual({ readsPerMinute: 300, writesPerMinute: 30, authPerMinute: 30 })
    expect(s).toMatchObject({ trustProxy: false, oauthClients: [], oauthClientMetadataPrivateNetworks: false })
  })

  it('reads NUXT_OAUTH_CLIENTS as JSON (string or already parsed) and says what is wrong', () => {
    const client = { client_id: 'ci', redirect_uris: ['https://ci.example.com/cb'] }
    expect(loadSettings({ ...base, oauthClients: JSON.stringify([client]) }).oauthClients).toEqual([client])
    expect(loadSettings({ ...base, oauthClients: [client] }).oauthClients).toEqual([client])
    expect(() => loadSettings({ ...base, oauthClients: '{nope' })).toThrow(/NUXT_OAUTH_CLIENTS must be a JSON array/)
    expect(() => loadSettings({ ...base, oauthClients: [{ client_id: 'x', redirect_uris: [] }] })).toThrow(/NUXT_OAUTH_CLIENTS is invalid: 0.redirect_uris/)
  })

  it.each([
    [{ session: { password: 'short' } }, /NUXT_SESSION_PASSWORD must be at least 32/],
    [{ oauth: { github: { clientId: 'id' } } }, /NUXT_OAUTH_GITHUB_CLIENT_SECRET is required/],
    [{ oauth: { oidc: { issuer: 'https://dex.example.com' } } }, /NUXT_OAUTH_OIDC_CLIENT_ID is required/],
    [{ rateLimit: { writesPerMinute: 0 } }, /NUXT_RATE_LIMIT_WRITES_PER_MINUTE must be a positive whole number/],
    [{ githubApiUrl: 'not a url' }, /NUXT_GITHUB_API_URL must be an absolute URL/],
    [{ oauth: { github: { orgs: 'acme, not/an-org' } } }, /NUXT_OAUTH_GITHUB_ORGS must be GitHub organisation names .*got "not\/an-org"/],
  ])('refuses %o', (extra, message) => {
    expect(() => loadSettings({ ...base, ...extra })).toThrow(SettingsError)
    expect(() => loadSettings({ ...base, ...extra })).toThrow(message)
  })

  it('reads NUXT_OAUTH_GITHUB_ORGS as a comma-separated list, compared in lower case', () => {
    expect(loadSettings({ ...base, oauth: { github: { orgs: ' Acme-Corp, beta ,acme-corp' } } }).github.orgs).toEqual(['acme-corp', 'beta'])
  })

  it('generates the session password into the data dir only when none is set, and sets Secure cookies for https', () => {
    const env: NodeJS.ProcessEnv = {}
    const read = (file: string) => `secret-from-${file}`
    prepareSessionEnv({ dataDir: '/data', public: { baseUrl: 'https://mctl.example.com' } }, env, read)
    expect(env).toEqual({ NUXT_SESSION_PASSWORD: 'secret-from-/data/session.key', NUXT_SESSION_COOKIE_SECURE: 'true' })
    const given: NodeJS.ProcessEnv = { NUXT_SESSION_PASSWORD: 'mine' }
    prepareSessionEnv({ dataDir: '/data', public: { baseUrl: 'http://localhost:3000' } }, given, read)
    expect(given).toEqual({ NUXT_SESSION_PASSWORD: 'mine', NUXT_SESSION_COOKIE_SECURE: 'false' })
  })
})

describe('identity helpers', () => {
  it.each([
    ['gho_16C7e42F292c6912E7710c838347Ae178B4a', true],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', true],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', true],
    ['0123456789abcdef0123456789abcdef01234567', true],
    ['mctl_pat_abcdefghijklmnopqrstuvwxyz', false],
    ['gho_short', false],
    ['eyJhbGciOi.eyJzdWIi.c2ln', false],
  ])('%s is GitHub-shaped: %s', (token, shaped) => {
    expect(GITHUB_TOKEN.test(token)).toBe(shaped)
  })

  it('normalizes logins and refuses what cannot be a tenant.yaml member id', () => {
    expect(normalizeLogin(' Octo-Cat ')).toBe('octo-cat')
    expect(normalizeLogin('dana@example.com')).toBe('dana@example.com')
    expect(() => normalizeLogin('a/b')).toThrow(/cannot be used as a login/)
    expect(() => normalizeLogin('')).toThrow(/cannot be used as a login/)
  })

  it('reads the person from OIDC claims with configurable username and groups claims', () => {
    const issuer = new OidcIssuer({ issuer: 'https://dex', clientId: 'mctl', clientSecret: '', name: 'Dex', scope: [], groupsClaim: 'roles', usernameClaim: 'nickname' })
    expect(issuer.profile({ sub: 's1', nickname: 'dana', name: 'Dana', email: 'd@example.com', roles: ['ops', 7] })).toEqual({ login: 'dana', displayName: 'Dana', email: 'd@example.com', groups: ['ops'] })
    expect(issuer.profile({ sub: 's2', email: 'e@example.com', roles: 'solo' })).toEqual({ login: 'e@example.com', displayName: 'e@example.com', email: 'e@example.com', groups: ['solo'] })
  })
})
