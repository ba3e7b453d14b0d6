// Shared plumbing of the loopback fakes: a node:http server on 127.0.0.1, a request log,
// JSON answers, OAuth form helpers and a clean shutdown (open keep-alive sockets included).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export interface Recorded { method: string, path: string, query: URLSearchParams, headers: IncomingMessage['headers'], body: string }

export interface Fake {
  url: string
  requests: Recorded[]
  close(): Promise<void>
}

/** A handler gets the recorded request, the response, and (for convenience) the URL and body. */
export type Handler = (req: Recorded, res: ServerResponse, url: URL, body: string) => void | Promise<void>

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(status === 204 ? undefined : JSON.stringify(body))
}

export function redirect(res: ServerResponse, location: string) {
  res.writeHead(302, { location })
  res.end()
}

/** Form or JSON request bodies, as OAuth endpoints accept both. */
export function params(req: { headers: IncomingMessage['headers'] }, body: string): Record<string, string> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(body || '{}')
  return Object.fromEntries(new URLSearchParams(body))
}

/** client_id/client_secret from HTTP Basic or the body (RFC 6749 §2.3.1). */
export function clientCredentials(req: { headers: IncomingMessage['headers'] }, p: Record<string, string>) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
    return { id, secret }
  }
  return { id: p.client_id, secret: p.client_secret }
}

export function close(server: Server) {
  server.closeAllConnections()
  return new Promise<void>(resolve => server.close(() => resolve()))
}

export async function listen(handler: Handler): Promise<Fake & { server: Server }> {
  const sockets = new Set<Socket>()
  const requests: Recorded[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = Buffer.concat(chunks).toString()
      const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body }
      requests.push(recorded)
      Promise.resolve(handler(recorded, res, url, body)).catch((err) => {
        if (!res.headersSent) json(res, 500, { message: String(err) })
      })
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}

/** A server that accepts connections and never answers: a cluster or store that hangs. */
export async function startHangingServer(): Promise<Fake> {
  return listen(() => new Promise<void>(() => {}))
}
