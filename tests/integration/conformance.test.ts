// The official MCP conformance suite (@modelcontextprotocol/conformance) against the built
// server: the scenarios that apply to a stateless, OAuth-protected MCP server and to its
// authorization server. The suite needs Node.js 22 or newer, so it runs on Node.js 24 fetched
// by npx (the registry must be reachable); MCTL itself stays on Node.js 20.
//
// Scenarios that do not apply, and why:
// - tools-call-*, json-schema-2020-12 and the elicitation ones call the reference server's own
//   test tools (test_simple_text, test_error_handling…), which a product does not have; those
//   with sampling, elicitation, logging or progress also need server-to-client messages, which
//   a stateless server answering plain JSON never sends;
// - logging-set-level, completion-complete, resources-* and prompts-*: capabilities MCTL does
//   not declare (it declares tools only);
// - server-sse-polling and server-sse-multiple-streams need SSE streams inside a session;
// - the 2026-07-28 scenarios (server-stateless, caching, http-header-validation,
//   input-required-result-*…): a revision of MCP that MCTL does not speak yet;
// - the auth/* scenarios test an MCP client against the suite's own mock servers.
//
// The server scenarios send no token and the suite has no option for one: a loopback reverse
// proxy stands in front of the server, as an ingress would (the server's base URL is the
// proxy's), and adds an access token from MCTL's own OAuth flow to /mcp requests that carry
// none. Everything else, Host and Origin included, passes through untouched.
import { execFile, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, NodeBrowser, register } from '../helpers/oauth'
import { ADMIN_TOKEN, freePort, startServer, tempDir, type TestServer } from '../helpers/server'
import { webSession } from '../helpers/users'

/** Pinned: the newest release, and the first with the authorization server scenarios. */
const SUITE = '@modelcontextprotocol/conformance@0.2.0-alpha.12'
/** The newest MCP revision MCTL speaks. */
const SPEC = '2025-11-25'

/** Each applicable server scenario, with the verdicts of the checks that show it ran. */
const SERVER_SCENARIOS: Record<string, Record<string, string>> = {
  'server-initialize': { 'server-initialize': 'SUCCESS', 'wire-schema-valid': 'SUCCESS' },
  // The suite's own verdict for a server that hands out no session: nothing to end.
  'server-session-lifecycle': { 'server-session-lifecycle-skipped': 'INFO' },
  'ping': { 'ping': 'SUCCESS', 'wire-schema-valid': 'SUCCESS' },
  'tools-list': { 'tools-list': 'SUCCESS', 'tools-name-format': 'SUCCESS', 'wire-schema-valid': 'SUCCESS' },
  'dns-rebinding-protection': { 'localhost-host-rebinding-rejected': 'SUCCESS', 'localhost-host-valid-accepted': 'SUCCESS' },
}

interface Check { id: string, status: string, errorMessage?: string }

/**
 * Node.js 24 and the suite's CLI, fetched by npx into its cache (once per machine), found once
 * per run: npx itself takes seconds per call.
 */
async function fetchSuite(): Promise<[node: string, cli: string]> {
  const { stdout } = await promisify(execFile)('npx', ['--yes', '--package', 'node@24', '--package', SUITE, '--', 'sh', '-c', 'command -v node; command -v conformance'])
  const [node, cli] = stdout.trim().split('\n')
  return [node!, cli!]
}
let suite: [node: string, cli: string]

/**
 * Runs the suite's CLI; `onLine` sees each line it prints (a failure there ends the run).
 * Resolves with the exit code, the output and the checks it saved.
 */
async function runSuite(args: string[], onLine?: (line: string) => Promise<void>) {
  const outDir = await tempDir('mctl-conformance-')
  const child = spawn(suite[0], [suite[1], ...args, '--output-dir', outDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let failed: unknown
  child.stderr.on('data', (chunk: Buffer) => { output += chunk })
  createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`
    onLine?.(line).catch((err) => {
      failed = err
      child.kill()
    })
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  if (failed) throw failed
  const checks: Check[] = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .filter(path => path.endsWith('checks.json'))
    .flatMap(path => JSON.parse(readFileSync(join(outDir, path), 'utf8')))
  return { code, output, checks }
}

/** Every check the suite counts against a server: failures, and warnings too. */
const problems = (checks: Check[]) => checks.filter(c => c.status === 'FAILURE' || c.status === 'WARNING')
  .map(c => `${c.id}: ${c.status} ${c.errorMessage ?? ''}`)
const verdicts = (checks: Check[], ids: string[]) => Object.fromEntries(ids.map(id => [id, checks.find(c => c.id === id)?.status]))

/** The reverse proxy (see the top of the file), to the server's `port`, adding `token` once set. */
async function startTokenProxy() {
  const target = { port: 0, token: '' }
  const proxy = createServer((req, res) => {
    const headers = { ...req.headers }
    if (new URL(req.url ?? '/', 'http://x').pathname === '/mcp' && !headers.authorization && target.token) headers.authorization = `Bearer ${target.token}`
    const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', err => res.destroy(err))
    req.pipe(upstream)
  })
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    target,
    close: () => new Promise<void>((resolve) => {
      proxy.closeAllConnections()
      proxy.close(() => resolve())
    }),
  }
}

let server: TestServer
let proxy: Awaited<ReturnType<typeof startTokenProxy>>
let person: NodeBrowser
/** The server's public URL: the proxy's. Also the OAuth issuer. */
let base: string

const registerClient = async (redirectUri: string) => {
  const { status, body } = await register(base, { client_name: 'MCP conformance suite', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] })
  expect(status).toBe(201)
  return body.client_id as string
}

beforeAll(async () => {
  proxy = await startTokenProxy()
  base = proxy.url
  server = await startServer({ env: { NUXT_PUBLIC_BASE_URL: base } })
  proxy.target.port = server.port
  person = new NodeBrowser(base, await webSession(base, ADMIN_TOKEN, 'conformance'))
  // The access token the proxy adds: dynamic registration, authorization with PKCE approved by
  // a signed-in person, code exchanged for a read-only token for /mcp.
  const redirectUri = 'http://127.0.0.1:5599/callback'
  const clientId = await registerClient(redirectUri)
  const { code, verifier } = await person.authorize(clientId, redirectUri, 'read')
  const tokens = await form(`${base}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId, resource: `${base}/mcp` })
  expect(tokens.status).toBe(200)
  proxy.target.token = tokens.body.access_token
  suite = await fetchSuite()
}, 600_000)
afterAll(async () => {
  await server?.stop()
  await proxy?.close()
})

describe(`MCP conformance (${SUITE}, MCP ${SPEC})`, () => {
  it.each(Object.entries(SERVER_SCENARIOS))('server scenario %s passes', async (scenario, expected) => {
    const { code, output, checks } = await runSuite(['server', '--url', `${base}/mcp`, '--scenario', scenario, '--spec-version', SPEC])
    expect(problems(checks), output).toEqual([])
    expect(verdicts(checks, Object.keys(expected)), output).toEqual(expected)
    expect(code, output).toBe(0)
  })

  it('authorization server scenarios pass: metadata, and the authorization code grant with PKCE', async () => {
    // The suite acts as an OAuth client registered by DCR; the person's browser is played here:
    // the authorization URL it prints is opened, consent approved, and the redirect delivered
    // to the suite's loopback callback.
    const callbackPort = await freePort()
    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`
    const clientId = await registerClient(redirectUri)
    const { code, output, checks } = await runSuite(
      ['authorization', '--url', base, '--client-id', clientId, '--resource', `${base}/mcp`, '--port', String(callbackPort), '--spec-version', SPEC],
      async (line) => {
        if (!line.startsWith(`${base}/oauth/authorize?`)) return
        const back = await person.approve(line, redirectUri)
        expect((await fetch(back)).status).toBe(200)
      },
    )
    expect(problems(checks), output).toEqual([])
    expect(verdicts(checks, ['authorization-server-metadata', 'authorization-server-metadata-cimd', 'authorization-code-grant']), output)
      .toEqual({ 'authorization-server-metadata': 'SUCCESS', 'authorization-server-metadata-cimd': 'SUCCESS', 'authorization-code-grant': 'SUCCESS' })
    expect(code, output).toBe(0)
  })
})
