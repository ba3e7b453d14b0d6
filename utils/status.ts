/** The badge colour of an Argo CD sync or health status, the same on every console page. */
export const statusTone = (value: string) =>
  ({ Synced: 'success', Healthy: 'success', OutOfSync: 'warning', Progressing: 'info', Suspended: 'warning', Degraded: 'error', Missing: 'error' } as const)[value] ?? 'neutral'
