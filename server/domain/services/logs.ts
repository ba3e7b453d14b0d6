import { z } from 'zod'
import type { LogEntry } from '../../adapters/types'
import { deploymentPods } from '../../gitops/names'
import { labelSelector, serviceSelector } from '../../gitops/render/labels'
import type { Cluster } from '../../adapters/kubernetes'
import type { LogStore } from '../../adapters/loki'
import { errorMessage } from '../../utils/errors'

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const
const MIN_SINCE = 30
const MAX_SINCE = 7 * 86400
/** Pods read at most when logs come from the Kubernetes API (one request each). */
const MAX_PODS = 10

/** Seconds of a duration like "30s", "15m", "1h", "7d"; null when malformed. */
export function durationSeconds(value: string): number | null {
  const m = /^(\d{1,6})([smhd])$/.exec(value)
  return m ? Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS] : null
}

export const sinceInput = z.string().default('1h').superRefine((value, ctx) => {
  const s = durationSeconds(value)
  if (s === null || s < MIN_SINCE || s > MAX_SINCE)
    ctx.addIssue({ code: 'custom', message: 'must be a duration from 30s to 7d, such as "30s", "15m", "1h" or "7d"' })
}).meta({ pattern: '^\\d{1,6}[smhd]$' }).describe('How far back, 30s to 7d, e.g. "15m", "2d"')

export interface LogsAnswer { lines: LogEntry[], count: number, source: 'loki' | 'kubernetes' | 'none', note?: string }

const answer = (lines: LogEntry[], source: LogsAnswer['source'], notes: string[]): LogsAnswer =>
  ({ lines, count: lines.length, source, ...(notes.length ? { note: notes.join('; ') } : {}) })

/**
 * A service's recent log lines, newest first: from Loki when configured (by namespace and a
 * pod-name pattern that matches only this Deployment's pods), else, or when Loki fails,
 * from the pods through the Kubernetes API; with neither, a note says why there are none.
 */
export async function serviceLogs({ logs, cluster }: { logs: LogStore | null, cluster: Cluster | null }, team: string, service: string, lines: number, since: string): Promise<LogsAnswer> {
  const sinceSeconds = durationSeconds(since)!
  const notes: string[] = []
  if (logs) {
    try {
      // Deployment pods are <deployment>-<replicaset hash>-<suffix>: "api" must not match "api-gateway-…".
      return answer(await logs.query({ namespace: team, podPattern: deploymentPods(service), limit: lines, sinceSeconds }), 'loki', [])
    }
    catch (err) {
      if (!cluster) return answer([], 'loki', [errorMessage(err)])
      notes.push(`${errorMessage(err)}; showing pod logs from the Kubernetes API instead`)
    }
  }
  if (!cluster) return answer([], 'none', ['no cluster connected and no log store configured (NUXT_LOKI_URL)'])
  try {
    const pods = await cluster.pods(team, labelSelector(serviceSelector(team, service)))
    if (!pods.length) notes.push(`no pods of "${service}" in namespace "${team}"`)
    if (pods.length > MAX_PODS) notes.push(`showing the newest lines of ${MAX_PODS} of ${pods.length} pods`)
    const per = await Promise.all(pods.slice(0, MAX_PODS).map(p => cluster.podLogs({ namespace: team, pod: p.name, tailLines: lines, sinceSeconds })))
    const merged = per.flat().sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, lines)
    return answer(merged, 'kubernetes', notes)
  }
  catch (err) {
    return answer([], 'kubernetes', [...notes, errorMessage(err)])
  }
}
