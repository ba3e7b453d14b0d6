import type { ServiceSpec } from '../../gitops/specs'
import type { Scaling, ScalingInput } from './scaling'

export type DeployAction = 'onboard' | 'deploy' | 'update-config'

/** The tool input as the operation needs it (secret values are never part of it). */
export interface DeployInput extends Omit<ScalingInput, 'replicas'> {
  action: DeployAction
  team_name: string
  component_name: string
  image?: string
  dockerfile_repo?: string
  git_tag?: string
  image_tag?: string
  dockerfile_path?: string
  port?: number
  component_type?: 'web' | 'worker'
  host?: string
  health_check_path?: string
  env_vars?: Record<string, string>
  clear_env?: boolean
  clear_secrets?: boolean
  provision_database?: boolean
}

/** Operation parameters: deltas onto the spec at the head the commit is built on. */
export interface DeployParams extends Omit<DeployInput, 'image' | 'dockerfile_repo' | 'git_tag' | 'image_tag' | 'dockerfile_path' | keyof ScalingInput> {
  /** Only what changes: a new repository and/or tag. */
  image?: { repository?: string, tag?: string }
  source?: { repository: string, dockerfilePath: string }
  /** Names only: the values went to the secret store when the call was accepted. */
  secret_names?: string[]
  scaling?: Scaling
  /** Requests and limits (templates such as OpenClaw's set them; the tool input does not). */
  resources?: ServiceSpec['resources']
  /** A deploy's image before it, as the answer shows it (`1.0.0 → 1.1.0`). */
  previous?: string
}
