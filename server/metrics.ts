import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Prometheus metrics (/metrics): HTTP, tool calls, operation outcomes, and the process. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'mctl_' })
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
  return {
    registry,
    httpRequests: new Counter({ name: 'mctl_http_requests_total', help: 'HTTP requests by surface and status', labelNames: ['surface', 'method', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'mctl_http_request_duration_seconds', help: 'HTTP request duration by surface', labelNames: ['surface'], buckets, registers: [registry] }),
    toolCalls: new Counter({ name: 'mctl_tool_calls_total', help: 'Tool calls by tool and outcome (ok, invalid, denied, limited, error)', labelNames: ['tool', 'outcome'], registers: [registry] }),
    toolDuration: new Histogram({ name: 'mctl_tool_call_duration_seconds', help: 'Tool call duration by tool', labelNames: ['tool'], buckets, registers: [registry] }),
    operations: new Counter({ name: 'mctl_operations_total', help: 'Finished operations by name and status', labelNames: ['operation', 'status'], registers: [registry] }),
    reaperPasses: new Counter({ name: 'mctl_preview_reaper_passes_total', help: 'Completed passes of the expired-preview reaper', registers: [registry] }),
    previewsReaped: new Counter({ name: 'mctl_previews_reaped_total', help: 'preview-delete operations the reaper submitted for expired previews', registers: [registry] }),
    operationDuration: new Histogram({ name: 'mctl_operation_duration_seconds', help: 'Operation duration from acceptance to the end, by name', labelNames: ['operation'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300], registers: [registry] }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>

/** A low-cardinality name for where a request went. */
export function surfaceOf(path: string): string {
  if (path === '/mcp') return 'mcp'
  if (path.startsWith('/api/v1/')) return 'rest'
  if (path.startsWith('/oauth') || path.startsWith('/.well-known')) return 'oauth'
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'health'
  return 'web'
}
