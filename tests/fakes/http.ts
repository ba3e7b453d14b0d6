// Shared plumbing of the loopback fakes: a node:http server on 127.0.0.1, a request log,
// JSON answers and a clean shutdown (open keep-alive sockets included).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export interface Recorded { method: string, path: string, query: URLSearchParams, headers: IncomingMessage['headers'], body: string }

export interface Fake {
  url: string
  requests: Recorded[]
  close(): Promise<void>
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>

export function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(status === 204 ? undefined : JSON.stringify(body))
}

export async function listen(handler: Handler): Promise<Fake & { server: Server }> {
  const sockets = new Set<Socket>()
  const requests: Recorded[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString() }
      requests.push(recorded)
      Promise.resolve(handler(recorded, res)).catch((err) => {
        json(res, 500, { message: String(err) })
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
