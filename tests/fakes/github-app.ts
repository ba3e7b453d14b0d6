// A loopback fake of the GitHub App API, as much of it as MCTL uses:
// POST /app/installations/:id/access_tokens (app JWT, RS256) and
// GET /installation/repositories (installation token, paginated with a Link header), and the
// issue comments of the installation's repositories (list, create, edit), written as `<slug>[bot]`.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { jwtVerify } from 'jose'

export interface FakeRepo { full_name: string, private: boolean, default_branch: string }

export interface FakeComment { id: number, body: string, user: { login: string } }

export async function startFakeGitHubApp(appId = '4242', slug = 'mctl-platform') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const installations = new Map<number, FakeRepo[]>()
  const tokens = new Map<string, number>()
  const requests: string[] = []
  /** `owner/repo#number` → its comments, in order. */
  const comments = new Map<string, FakeComment[]>()
  let lastComment = 0

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://fake')
    requests.push(`${req.method} ${url.pathname}`)
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    const bearer = /^(?:bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const tokenMatch = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname)
    if (req.method === 'POST' && tokenMatch) {
      try {
        const { payload } = await jwtVerify(bearer ?? '', publicKey, { algorithms: ['RS256'] })
        if (payload.iss !== appId) return json(401, { message: 'A JSON web token could not be decoded' })
      }
      catch {
        return json(401, { message: 'A JSON web token could not be decoded' })
      }
      const id = Number(tokenMatch[1])
      if (!installations.has(id)) return json(404, { message: 'Not Found' })
      const token = `ghs_${randomBytes(16).toString('hex')}`
      tokens.set(token, id)
      return json(201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { contents: 'read' } })
    }
    if (req.method === 'GET' && url.pathname === '/installation/repositories') {
      const id = bearer ? tokens.get(bearer) : undefined
      if (id === undefined) return json(401, { message: 'Bad credentials' })
      const all = installations.get(id) ?? []
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const last = Math.max(1, Math.ceil(all.length / perPage))
      const headers: Record<string, string> = {}
      if (page < last) {
        const next = new URL(url)
        next.searchParams.set('page', String(page + 1))
        headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`
      }
      return json(200, { total_count: all.length, repositories: all.slice((page - 1) * perPage, page * perPage) }, headers)
    }
    let m: RegExpExecArray | null
    if ((m = /^\/repos\/([\w.-]+\/[\w.-]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))$/.exec(url.pathname))) {
      const id = bearer ? tokens.get(bearer) : undefined
      if (id === undefined) return json(401, { message: 'Bad credentials' })
      const repo = m[1]!
      if (!installations.get(id)?.some(r => r.full_name === repo)) return json(404, { message: 'Not Found' })
      const body = await new Promise<string>((resolve) => {
        let text = ''
        req.on('data', (c: Buffer) => { text += c })
        req.on('end', () => resolve(text))
      })
      if (m[2]) {
        const key = `${repo}#${m[2]}`
        if (req.method === 'GET') return json(200, comments.get(key) ?? [])
        if (req.method === 'POST') {
          const comment = { id: ++lastComment, body: JSON.parse(body).body, user: { login: `${slug}[bot]` } }
          comments.set(key, [...(comments.get(key) ?? []), comment])
          return json(201, comment)
        }
      }
      const comment = [...comments.values()].flat().find(c => c.id === Number(m![3]))
      if (req.method === 'PATCH' && comment) {
        if (comment.user.login !== `${slug}[bot]`) return json(403, { message: 'Resource not accessible by integration' })
        comment.body = JSON.parse(body).body
        return json(200, comment)
      }
    }
    json(404, { message: 'Not Found' })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    slug,
    installations,
    requests,
    comments,
    close: () => new Promise<void>(r => server.close(() => r())),
  }
}
