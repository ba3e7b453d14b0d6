// OAuth client pieces for tests: a loopback redirect receiver, PKCE, raw token requests, and
// an in-memory OAuthClientProvider for the MCP SDK's own client auth.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { join } from 'node:path'
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js'
import { tempDir } from './server'

/** A loopback redirect URI (RFC 8252) that records what the authorization server sends back. */
export interface Callback {
  url: string
  /** The next redirect's query (code, state, error…). */
  next(): Promise<URLSearchParams>
  close(): Promise<void>
}

export async function startCallback(path = '/callback'): Promise<Callback> {
  const waiting: ((q: URLSearchParams) => void)[] = []
  const arrived: URLSearchParams[] = []
  const server: Server = createServer((req, res) => {
    const { pathname, searchParams: q } = new URL(req.url ?? '/', 'http://x')
    // Browsers also ask for /favicon.ico: answered (an error would show in the console), not recorded.
    if (pathname !== path) return res.writeHead(204).end()
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><title>Done</title><p>You can close this window.</p>')
    const w = waiting.shift()
    if (w) w(q)
    else arrived.push(q)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}${path}`,
    next: () => arrived.length ? Promise.resolve(arrived.shift()!) : new Promise(r => waiting.push(r)),
    close: () => { server.closeAllConnections(); return new Promise(r => server.close(() => r())) },
  }
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** POSTs a form to a token-style endpoint; answers status and parsed JSON body. */
export async function form(url: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers }
}

export async function register(base: string, metadata: Record<string, unknown>) {
  const res = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) })
  return { status: res.status, body: await res.json() as Record<string, any> }
}

/** The SDK's client-side state kept in memory, with the authorization URL it asks to open. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl?: URL
  private info?: OAuthClientInformationMixed
  private saved?: OAuthTokens
  private verifier = ''

  constructor(private readonly redirect: string, private readonly name = 'MCTL test client') {}

  get redirectUrl() { return this.redirect }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' }
  }

  clientInformation() { return this.info }
  saveClientInformation(info: OAuthClientInformationMixed) { this.info = info }
  tokens() { return this.saved }
  saveTokens(tokens: OAuthTokens) { this.saved = tokens }
  redirectToAuthorization(url: URL) { this.authorizationUrl = url }
  saveCodeVerifier(v: string) { this.verifier = v }
  codeVerifier() { return this.verifier }
}

export interface MetadataHost {
  /** The client_id: the https URL of the document. */
  url: string
  /** The self-signed certificate, for the server's NODE_EXTRA_CA_CERTS. */
  caFile: string
  close(): Promise<void>
}

/** An https host (certificate made with openssl for 127.0.0.1) serving a client ID metadata document. */
export async function startMetadataHost(redirectUri: string, clientName = 'Metadata Doc Client'): Promise<MetadataHost> {
  const dir = await tempDir('mctl-cimd-')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
  let url = ''
  const host = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    if (req.url !== '/client.json') return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ client_id: url, client_name: clientName, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' }))
  })
  await new Promise<void>(r => host.listen(0, '127.0.0.1', r))
  url = `https://127.0.0.1:${(host.address() as { port: number }).port}/client.json`
  return { url, caFile: join(dir, 'cert.pem'), close: () => { host.closeAllConnections(); return new Promise(r => host.close(() => r())) } }
}

/**
 * A signed-in person's browser driven from Node (no Chromium): their cookies (paths ignored,
 * every request goes to one server), the consent API, redirects followed by hand.
 */
export class NodeBrowser {
  private readonly jar = new Map<string, string>()
  readonly csrf: string

  constructor(private readonly base: string, session: { cookie: string, csrf: string }) {
    for (const pair of session.cookie.split('; ')) this.jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    this.csrf = session.csrf
  }

  cookie(name: string) {
    return this.jar.get(name)
  }

  /** A request: sends the jar (and the CSRF token with a body or a DELETE), keeps what the server sets. */
  async fetch(url: string, init: { method?: string, body?: unknown } = {}) {
    const method = init.method ?? 'GET'
    const headers: Record<string, string> = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') }
    if (method !== 'GET') Object.assign(headers, { 'origin': this.base, 'x-csrf-token': this.csrf })
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(new URL(url, this.base), { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), redirect: 'manual' })
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name)
      else this.jar.set(name, value)
    }
    return res
  }

  /** Authorization approved on the consent API, redirects followed until the client's: the code. */
  async authorize(clientId: string, redirectUri: string, scope = 'read write') {
    const { verifier, challenge } = pkce()
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', scope, state: 'st' })
    const back = await this.approve(`/oauth/authorize?${query}`, redirectUri)
    return { code: back.searchParams.get('code')!, verifier }
  }

  /**
   * An authorization request someone else built (a client), opened as this person: consent
   * approved, redirects followed until the one to `redirectUri`, which is returned unvisited.
   */
  async approve(authorizationUrl: string, redirectUri: string): Promise<URL> {
    let res = await this.fetch(authorizationUrl)
    for (let hops = 0; hops < 10; hops++) {
      const location = res.headers.get('location')
      if (!location) throw new Error(`authorization stopped with ${res.status}: ${await res.text()}`)
      const next = new URL(location, this.base)
      if (next.href.startsWith(redirectUri)) return next
      if (next.pathname === '/oauth/consent') {
        const answer = await this.fetch(`/oauth/consent/${next.searchParams.get('uid')}`, { method: 'POST', body: { approve: true } })
        if (answer.status !== 200) throw new Error(`consent answered ${answer.status}: ${await answer.text()}`)
        res = await this.fetch((await answer.json() as { redirectTo: string }).redirectTo)
      }
      else res = await this.fetch(next.href)
    }
    throw new Error('too many redirects')
  }
}
