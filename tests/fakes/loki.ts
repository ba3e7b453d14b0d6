// A loopback fake of Loki's `GET /loki/api/v1/query_range` for stream selectors of the form
// {label="value", label=~"regex"}: nanosecond timestamps as strings, `direction`, `limit`
// over all streams, and the `{status, data: {resultType: "streams", result}}` answer.
import { json, listen, type Fake } from './http'

export interface FakeLoki extends Fake {
  streams: { labels: Record<string, string>, entries: [Date, string][] }[]
  /** While set, every query answers 503 as a Loki whose ingesters are down. */
  down: boolean
}

function selector(query: string): ((labels: Record<string, string>) => boolean) | null {
  const m = /^\{(.*)\}$/.exec(query.trim())
  if (!m) return null
  const terms = [...m[1]!.matchAll(/\s*([a-zA-Z_]\w*)\s*(=~|=)\s*"([^"]*)"\s*,?/g)]
  if (!terms.length) return null
  return labels => terms.every(([, k, op, v]) => op === '=' ? labels[k!] === v : new RegExp(`^(?:${v})$`).test(labels[k!] ?? ''))
}

export async function startLokiFake(): Promise<FakeLoki> {
  const streams: FakeLoki['streams'] = []
  const state = { down: false }
  const fake = await listen((req, res) => {
    if (state.down) {
      res.writeHead(503, { 'content-type': 'text/plain' })
      return void res.end('too many unhealthy instances in the ring\n')
    }
    if (req.method !== 'GET' || req.path !== '/loki/api/v1/query_range') {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return void res.end('404 page not found\n')
    }
    const match = selector(req.query.get('query') ?? '')
    if (!match) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      return void res.end('parse error : syntax error: unexpected IDENTIFIER\n')
    }
    const start = BigInt(req.query.get('start') ?? '0')
    const end = BigInt(req.query.get('end') ?? `${Date.now()}000000`)
    const limit = Number(req.query.get('limit') ?? 100)
    const backward = (req.query.get('direction') ?? 'backward') === 'backward'
    const ns = (d: Date) => BigInt(d.getTime()) * 1_000_000n
    const picked = streams.filter(s => match(s.labels)).flatMap(s => s.entries
      .filter(([t]) => ns(t) >= start && ns(t) <= end)
      .map(([t, line]) => ({ s, t: ns(t), line })))
      .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0) * (backward ? -1 : 1))
      .slice(0, limit)
    const result = streams.filter(s => picked.some(p => p.s === s))
      .map(s => ({ stream: s.labels, values: picked.filter(p => p.s === s).map(p => [String(p.t), p.line]) }))
    json(res, 200, { status: 'success', data: { resultType: 'streams', result, stats: {} } })
  })
  return Object.assign(state, { ...fake, streams })
}
