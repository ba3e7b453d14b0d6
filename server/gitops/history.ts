import type { GitRepo } from './repo'
import { ServiceSpec } from './specs'
import { serviceSpecPath } from './state'
import { readSpec } from './yaml'

export interface Deploy {
  tag: string
  repository: string
  /** `repository:tag` */
  image: string
  commit: string
  author: string
  time: string
  /** The commit's verb (onboard, deploy, rollback, …), or "manual" for a commit MCTL did not make. */
  operation: string
  operationId: string | null
  requestedBy: string | null
}

/** How far back the log is read; a service with more spec changes keeps its newest ones. */
const SCAN = 300

/**
 * The deploys of a service, newest first, from `git log` of its service.yaml (GITOPS.md: the
 * history needs no table). A deploy is a commit that changed the image (repository or tag);
 * config and scale commits are skipped. Only the current incarnation counts: the log stops
 * at the last time the service was retired.
 */
export async function deployHistory(repo: GitRepo, tenant: string, service: string, limit = 20): Promise<Deploy[]> {
  const path = serviceSpecPath(tenant, service)
  const commits = await repo.log(path, SCAN)
  const texts = await repo.readObjects(commits.map(c => `${c.sha}:${path}`))
  const retired = texts.indexOf(null)
  const alive = retired === -1 ? commits.length : retired
  const deploys: Deploy[] = []
  let previous: string | null = null
  for (let i = alive - 1; i >= 0; i--) {
    const spec = specOf(texts[i]!)
    if (!spec) continue
    const image = `${spec.image.repository}:${spec.image.tag}`
    if (image === previous) continue
    previous = image
    const c = commits[i]!
    deploys.push({
      tag: spec.image.tag,
      repository: spec.image.repository,
      image,
      commit: c.sha,
      author: c.authorName,
      time: c.time,
      operation: c.trailers['Mctl-Operation'] ? (/^([a-z-]+):/.exec(c.subject)?.[1] ?? 'manual') : 'manual',
      operationId: c.trailers['Mctl-Operation'] ?? null,
      requestedBy: c.trailers['Mctl-Requested-By'] ?? null,
    })
  }
  return deploys.reverse().slice(0, limit)
}

function specOf(text: string): ServiceSpec | null {
  const read = readSpec(ServiceSpec, text)
  return 'spec' in read ? read.spec : null
}
