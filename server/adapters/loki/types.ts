import type { LogEntry } from '../types'

export interface LogQuery {
  namespace: string
  /** A LogQL regular expression the pod label must match in full. */
  podPattern: string
  limit: number
  sinceSeconds: number
}

/** A log store that can be queried by labels; answers newest first. */
export interface LogStore {
  readonly url: string
  query(q: LogQuery): Promise<LogEntry[]>
}
