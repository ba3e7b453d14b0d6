/** GITOPS.md "Commits": `<verb>: <subject> <detail>` then the attribution trailers. */
export interface CommitMeta {
  verb: string
  subject: string
  detail?: string
  operationId: string
  requestedBy: string
  client: string
  /** More trailers after the three of every commit (e.g. Mctl-Incident of an agent fix). */
  trailers?: Record<string, string>
}

export function commitMessage(m: CommitMeta): string {
  const title = [`${m.verb}: ${m.subject}`, m.detail].filter(Boolean).join(' ')
  const extra = Object.entries(m.trailers ?? {}).map(([k, v]) => `${k}: ${v}\n`).join('')
  return `${title}\n\nMctl-Operation: ${m.operationId}\nMctl-Requested-By: ${m.requestedBy}\nMctl-Client: ${m.client}\n${extra}`
}
