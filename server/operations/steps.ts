import type { Operation } from '../db/schema'
import { commitMessage } from '../gitops/commits'
import type { Changes } from '../gitops/repo'
import type { RepoIndex } from '../gitops/state'
import type { GitOpsStore, WriteResult } from '../gitops/store'
import type { CoreServices } from '../core'
import type { StepDef } from './types'

export interface CommitTitle { verb: string, subject: string, detail?: string }
type Build = (index: RepoIndex) => Changes | Promise<Changes>

/** A commit for an operation: authored by its requester, with the attribution trailers. */
export function commitFor(op: Operation, store: GitOpsStore, title: CommitTitle, build: Build, resume = false): Promise<WriteResult> {
  return store.write({
    operationId: op.id,
    author: { name: op.requesterName, email: op.requesterEmail },
    message: commitMessage({ ...title, operationId: op.id, requestedBy: op.requestedBy, client: op.client }),
    build,
    resume,
  })
}

export interface CommitStepOptions<P> {
  title: (params: P) => CommitTitle
  /** The desired changes, from the index at the head the commit is built on. */
  build: (params: P, index: RepoIndex, op: Operation, services: CoreServices) => Changes | Promise<Changes>
  name?: string
}

/** The usual single step of a write: one operation = one commit. */
export function commitStep<P>(opts: CommitStepOptions<P>): StepDef<P> {
  return {
    name: opts.name ?? 'commit',
    async run({ operation: op, params, services, resumed }) {
      const result = await commitFor(op, services.store, opts.title(params), index => opts.build(params, index, op, services), resumed)
      if (!result.changed) return { message: 'Nothing to change: the repository already has this state', output: { commit: result.sha } }
      return { message: `Committed ${result.sha.slice(0, 12)}`, commit: result.sha, output: { commit: result.sha } }
    },
  }
}

/** What happens after the commit: Argo CD applies it when a cluster is connected. */
export const syncStep: StepDef<unknown> = {
  name: 'sync',
  async run({ services }) {
    return {
      message: services.cluster
        ? 'Argo CD applies the commit; mctl_get_service_status shows its sync and health'
        : 'No cluster connected: Argo CD applies the commit once one is',
    }
  },
}
