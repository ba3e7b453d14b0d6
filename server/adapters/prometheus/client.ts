import type { Settings } from '../../settings'
import { upstream } from '../../utils/errors'
import { answerReason, callHttp } from '../http'
import type { Prometheus, RangeQuery, Series } from './types'

/** `GET /api/v1/query_range`: a matrix of `[unix seconds, "value"]` samples per series. */
export class PrometheusApi implements Prometheus {
  constructor(private readonly settings: Settings['metrics']) {}

  get url() { return this.settings.url }

  async queryRange(q: RangeQuery): Promise<Series[]> {
    const params = new URLSearchParams({ query: q.query, start: String(q.start), end: String(q.end), step: `${q.stepSeconds}s` })
    const what = `querying the metrics API at ${this.url}`
    const answer = await callHttp(what, `${this.url}/api/v1/query_range?${params}`, { timeoutMs: this.settings.timeoutMs })
    if (answer.status !== 200 || answer.body?.status !== 'success') throw upstream(`${what}: ${answerReason(answer)}`)
    const data = answer.body.data
    if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) throw upstream(`${what}: the answer is not a matrix`)
    return (data.result as { metric?: Record<string, string>, values?: [number, string][] }[]).map(r => ({
      labels: r.metric ?? {},
      // "NaN" and "+Inf" are valid sample values in the API; they carry no usage.
      values: (r.values ?? []).map(([, v]) => Number(v)).filter(Number.isFinite),
    }))
  }
}
