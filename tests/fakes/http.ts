// Small helpers shared by the loopback fakes (node:http, real sockets, real wire formats).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => void | Promise<void>

export async function listen(handler: Handler): Promise<{ server: Server, url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      Promise.resolve(handler(req, res, url, Buffer.concat(chunks).toString('utf8'))).catch((err) => {
        if (!res.headersSent) json(res, 500, { message: String(err) })
      })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { server, url: `http://127.0.0.1:${port}` }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

export function redirect(res: ServerResponse, location: string) {
  res.writeHead(302, { location })
  res.end()
}

/** Form or JSON request bodies, as OAuth endpoints accept both. */
export function params(req: IncomingMessage, body: string): Record<string, string> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(body || '{}')
  return Object.fromEntries(new URLSearchParams(body))
}

/** client_id/client_secret from HTTP Basic or the body (RFC 6749 §2.3.1). */
export function clientCredentials(req: IncomingMessage, p: Record<string, string>) {
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
