import { NOT_APPLIED } from '../../shared/utils/status'
import type { Operation } from '../db/schema'
import { commitMessage } from '../gitops/commits'
import type { Changes } from '../gitops/repo'
import type { RepoIndex } from '../gitops/state'
import type { GitOpsStore, WriteResult } from '../gitops/store'
import type { ImageBuild, StepDef, StepServices } from './types'

export interface CommitTitle { verb: string, subject: string, detail?: string }
type Build = (index: RepoIndex) => Changes | Promise<Changes>

/** A commit title, or a function of the index as it is with the commit's changes (names chosen while building). */
export type Title = CommitTitle | ((index: RepoIndex) => CommitTitle)

/** A commit for an operation: authored by its requester, with the attribution trailers. */
export function commitFor(op: Operation, store: GitOpsStore, title: Title, build: Build, resume = false): Promise<WriteResult> {
  const message = (t: CommitTitle) => commitMessage({ ...t, operationId: op.id, requestedBy: op.requestedBy, client: op.client })
  return store.write({
    operationId: op.id,
    author: { name: op.requesterName, email: op.requesterEmail },
    message: typeof title === 'function' ? index => message(title(index)) : message(title),
    build,
    resume,
  })
}

export interface CommitStepOptions<P> {
  /** From the parameters and the index as it is with the commit's changes. */
  title: (params: P, index: RepoIndex) => CommitTitle
  /** The desired changes, from the index at the head the commit is built on. */
  build: (params: P, index: RepoIndex, op: Operation, services: StepServices) => Changes | Promise<Changes>
  name?: string
  /** More of the step's output, from the index once the commit is in. */
  output?: (params: P, index: RepoIndex) => Record<string, unknown>
}

/** The usual single step of a write: one operation = one commit. */
export function commitStep<P>(opts: CommitStepOptions<P>): StepDef<P> {
  return {
    name: opts.name ?? 'commit',
    async run({ operation: op, params, services, resumed }) {
      const result = await commitFor(op, services.store, index => opts.title(params, index), index => opts.build(params, index, op, services), resumed)
      // A commit that changed nothing names none: the head it found belongs to another operation.
      const output = { commit: result.changed ? result.sha : null, ...opts.output?.(params, services.index) }
      if (!result.changed) return { message: 'Nothing to change: the repository already has this state', output }
      return { message: `Committed ${result.sha.slice(0, 12)}`, commit: result.sha, output }
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
        : `${NOT_APPLIED} (Argo CD applies the commit once one is)`,
    }
  },
}

/** `owner/repo@<tag>`, or `owner/repo@<commit>` for a pull request's head. */
export const imageSource = (b: ImageBuild) => `${b.repository}@${b.commit ?? b.gitRef.replace(/^refs\/tags\//, '')}`

/**
 * The step that needs an image built from a repository's Dockerfile: with the Argo engine the
 * Workflow builds it (kaniko, a node named after this step) before the runner gets here; the
 * local engine builds nothing and says whose CI must.
 */
export function buildImageStep<P>(image: (params: P, index: RepoIndex) => ImageBuild | null): StepDef<P> {
  return {
    name: 'build-image',
    image,
    async run({ params, services: { index, settings } }) {
      const build = image(params, index)
      if (!build) return { message: 'No image to build' }
      const output = { image: build.destination, image_source: imageSource(build) }
      if (settings.engine.kind === 'argo') return { message: `Built ${build.destination} from ${output.image_source} (Workflow step build-image)`, output: { ...output, image_built: true } }
      return { message: `MCTL expects ${build.destination} to exist, built and pushed by ${build.repository}'s CI (the local engine does not build images)`, output: { ...output, image_built: false } }
    },
  }
}
