import type { Operation } from '../db/schema'
import type { PlatformSpec } from '../gitops/specs'
import type { RepoIndex } from '../gitops/state'
import type Database from 'better-sqlite3'
import type { Cluster } from '../adapters/kubernetes'
import type { SecretStore } from '../adapters/secrets'
import type { Db } from '../db'
import type { GitRepo } from '../gitops/repo'
import type { GitOpsStore } from '../gitops/store'
import type { Settings } from '../settings'
import type { Logger } from '../utils/logger'

/** What operation steps use: the server and the operation runner (runner.ts) both build these. */
export interface StepServices {
  settings: Settings
  logger: Logger
  db: Db
  sqlite: Database.Database
  repo: GitRepo
  index: RepoIndex
  store: GitOpsStore
  /** Live state; null when no cluster is configured ("no cluster connected"). */
  cluster: Cluster | null
  secrets: SecretStore
}

export type RiskLevel = 'low' | 'medium' | 'high'

export interface StepContext<P> {
  operation: Operation
  params: P
  /** Outputs of the steps that already succeeded, merged. */
  outputs: Record<string, unknown>
  /** True when this step already started once before a crash or restart. */
  resumed: boolean
  services: StepServices
  log(message: string): void
}

export interface StepResult {
  message?: string
  output?: Record<string, unknown>
  /** The commit this step published, recorded on the operation. */
  commit?: string
}

/** An image a step needs built from a repository's Dockerfile before the operation runs. */
export interface ImageBuild {
  /** `owner/repo` on the GitHub host (NUXT_GITHUB_URL). */
  repository: string
  /** The git ref to build: `refs/tags/<git_tag>`, or a pull request's `refs/pull/<n>/head`. */
  gitRef: string
  /** The commit of that ref to build (a pull request's head at the time of the push). */
  commit?: string
  dockerfilePath: string
  /** `<registry>/<owner>/<repo>:<tag>` */
  destination: string
}

export interface StepDef<P> {
  name: string
  run(ctx: StepContext<P>): Promise<StepResult | void>
  /**
   * The image this step needs, if any. The Argo engine builds it in the Workflow (a kaniko
   * node named after the step) before the runner starts; the local engine builds nothing.
   */
  image?(params: P, index: RepoIndex): ImageBuild | null
}

/** A durable operation: named steps run in order, each at most once to completion. */
export interface OperationDef<P = any> {
  name: string
  description: string
  riskLevel: RiskLevel
  steps: StepDef<P>[]
  /** The message of a succeeded operation, from its steps' merged outputs. */
  summary?(params: P, outputs: Record<string, unknown>): string
  /** Defaults and limits of parameters that the platform settings (mctl.yaml) decide. */
  bounds?(platform: PlatformSpec): Record<string, ParameterBounds>
}

export interface ParameterBounds { default?: unknown, minimum?: unknown, maximum?: unknown }

export function defineOperation<P>(def: OperationDef<P>): OperationDef<P> {
  return def
}
