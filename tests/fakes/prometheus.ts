// A loopback fake of the Prometheus HTTP API's range queries (GET /api/v1/query_range) as
// MCTL uses them: the series of cAdvisor's container metrics for the pods a selector names,
// summed by pod, as a matrix of [unix seconds, "value"] samples. It understands exactly the
// two PromQL shapes of the sizing recommendation and answers anything else with bad_data, so
// a test fails when the adapter's query changes.
import { json, listen, type Fake } from './http'

export interface FakePrometheus extends Fake {
  /** `<namespace>/<pod>` → samples in time order (bytes of working set, cores of CPU). */
  pods: Map<string, { memory: number[], cpu: number[] }>
  /** The PromQL of each query received. */
  queries: string[]
}

const SHAPES: [RegExp, 'memory' | 'cpu'][] = [
  [/^sum by \(pod\) \(container_memory_working_set_bytes\{(.+)\}\)$/, 'memory'],
  [/^sum by \(pod\) \(rate\(container_cpu_usage_seconds_total\{(.+)\}\[5m\]\)\)$/, 'cpu'],
]

function selector(text: string) {
  const matchers = [...text.matchAll(/(\w+)\s*(=~|!=|=)\s*"([^"]*)"/g)].map(([, label, op, value]) => ({ label: label!, op: op!, value: value! }))
  const ns = matchers.find(m => m.label === 'namespace' && m.op === '=')?.value
  const pod = matchers.find(m => m.label === 'pod' && m.op === '=~')?.value
  const excludesPause = matchers.some(m => m.label === 'container' && m.op === '!=' && m.value === 'POD')
  return { ns, pod, excludesPause }
}

export async function startPrometheusFake(): Promise<FakePrometheus> {
  const pods = new Map<string, { memory: number[], cpu: number[] }>()
  const queries: string[] = []
  const bad = (res: Parameters<Parameters<typeof listen>[0]>[1], error: string) => json(res, 400, { status: 'error', errorType: 'bad_data', error })
  const fake = await listen((req, res) => {
    if (req.method !== 'GET' || req.path !== '/api/v1/query_range') return json(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' })
    const query = req.query.get('query') ?? ''
    queries.push(query)
    const start = Number(req.query.get('start'))
    const end = Number(req.query.get('end'))
    const step = /^(\d+)s$/.exec(req.query.get('step') ?? '')
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || !step) return bad(res, 'invalid start, end or step')
    const shape = SHAPES.find(([re]) => re.test(query))
    if (!shape) return bad(res, `1:1: parse error: unexpected query ${JSON.stringify(query)}`)
    const { ns, pod, excludesPause } = selector(shape[0].exec(query)![1]!)
    if (!ns || !pod || !excludesPause) return bad(res, 'the selector must name the namespace, a pod regex and exclude the pause container')
    const podRe = new RegExp(`^(?:${pod})$`) // PromQL regexes are fully anchored
    const stepSeconds = Number(step[1])
    const result = [...pods].filter(([key]) => key.startsWith(`${ns}/`) && podRe.test(key.slice(ns.length + 1))).map(([key, samples]) => ({
      metric: { pod: key.slice(ns.length + 1) },
      values: samples[shape[1]].map((v, i) => [start + i * stepSeconds, String(v)]),
    })).filter(s => s.values.length)
    json(res, 200, { status: 'success', data: { resultType: 'matrix', result } })
  })
  return { ...fake, pods, queries }
}
