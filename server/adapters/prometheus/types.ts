/** One time series of a range query: its labels and its sample values (in time order). */
export interface Series { labels: Record<string, string>, values: number[] }

export interface RangeQuery {
  /** PromQL. */
  query: string
  /** Unix seconds. */
  start: number
  end: number
  stepSeconds: number
}

/** A Prometheus-compatible query API (Prometheus, VictoriaMetrics, Thanos, Mimir). */
export interface Prometheus {
  readonly url: string
  queryRange(q: RangeQuery): Promise<Series[]>
}
