import type { Settings } from '../../settings'
import { upstream } from '../../utils/errors'
import { answerReason, callHttp } from '../http'
import type { LogEntry } from '../types'
import type { LogQuery, LogStore } from './types'

interface Stream { stream: Record<string, string>, values: [string, string][] }

/** Nanosecond timestamps as decimal strings: compare them without losing precision. */
const newerFirst = (a: string, b: string) => b.length - a.length || (b < a ? -1 : b > a ? 1 : 0)

/** Loki's HTTP API: `GET /loki/api/v1/query_range`, newest entries first. */
export class LokiLogs implements LogStore {
  constructor(private readonly settings: Settings['loki']) {}

  get url() { return this.settings.url }

  async query(q: LogQuery): Promise<LogEntry[]> {
    const end = Date.now()
    const params = new URLSearchParams({
      query: `{namespace="${q.namespace}", pod=~"${q.podPattern}"}`,
      start: `${end - q.sinceSeconds * 1000}000000`,
      end: `${end}000000`,
      limit: String(q.limit),
      direction: 'backward',
    })
    const what = `querying Loki at ${this.url}`
    const answer = await callHttp(what, `${this.url}/loki/api/v1/query_range?${params}`, {
      headers: this.settings.orgId ? { 'X-Scope-OrgID': this.settings.orgId } : {},
      timeoutMs: this.settings.timeoutMs,
    })
    if (answer.status !== 200) throw upstream(`${what}: ${answerReason(answer)}`)
    const data = answer.body?.data
    if (data?.resultType !== 'streams' || !Array.isArray(data.result)) throw upstream(`${what}: the answer has no log streams`)
    // Each stream is sorted, but streams (one per pod/container) interleave: merge them.
    return (data.result as Stream[])
      .flatMap(s => s.values.map(([ns, line]) => ({ ns, line, labels: s.stream })))
      .sort((a, b) => newerFirst(a.ns, b.ns))
      .slice(0, q.limit)
      .map(e => ({ timestamp: new Date(Number(e.ns.slice(0, -6))).toISOString(), line: e.line, labels: e.labels }))
  }
}
