import { databaseChanges } from '../../gitops/databases'
import { secretStoreKey } from '../../gitops/names'
import { hostProblem } from '../../gitops/policy-hosts'
import { serviceChanges } from '../../gitops/render/service'
import { ServiceSpec } from '../../gitops/specs'
import type { RepoIndex } from '../../gitops/state'
import { buildImageStep, commitStep, syncStep, type CommitTitle } from '../../operations/steps'
import { defineOperation, type ImageBuild, type StepDef } from '../../operations/types'
import { invalidField } from '../../utils/errors'
import type { DeployInput, DeployParams } from './deploy-input'
import { resolveImage } from './image'
import { applyScaling, describeScaling, resolveScaling } from './scaling'
import { existingService } from './view'

/** Validates the input against the current state and turns it into operation parameters. */
export function deployParams(input: DeployInput, secretNames: string[], index: RepoIndex): DeployParams {
  const current = existingService(index, input.team_name, input.component_name, input.action === 'onboard' ? 'absent' : 'present')
  const quotaPods = index.tenant(input.team_name)!.quotas.pods
  const { image: _i, dockerfile_repo: _d, git_tag: _g, image_tag: _t, dockerfile_path: _p, autoscaling_enabled, min_replicas, max_replicas, cpu_threshold, ...rest } = input
  const scaling = resolveScaling({ autoscaling_enabled, min_replicas, max_replicas, cpu_threshold }, current, quotaPods)
  const image = resolveImage(input, index.platform, current)
  // A new tag of a service built from a repository is built from that repository again.
  if (input.action === 'deploy' && !image.source && !image.image?.repository && current?.source) image.source = current.source
  const params: DeployParams = {
    ...rest,
    ...image,
    ...(input.action === 'deploy' && current ? { previous: image.image?.repository ? `${current.image.repository}:${current.image.tag}` : current.image.tag } : {}),
    ...(secretNames.length ? { secret_names: [...secretNames].sort() } : {}),
    ...(scaling ? { scaling } : {}),
  }
  nextSpec(params, current) // refuses now what the commit would refuse later
  // Refused now with the field named; the commit checks it again (policy-hosts), against concurrent writes.
  const hostRule = input.host ? hostProblem(input.team_name, input.component_name, input.host, index) : null
  if (hostRule) throw invalidField('host', hostRule)
  return params
}

/** The service spec after applying `p` to the current one (none when onboarding). */
export function nextSpec(p: DeployParams, current: ServiceSpec | undefined): ServiceSpec {
  const base = current ?? ServiceSpec.parse({ image: { repository: p.image!.repository, tag: p.image!.tag } })
  const componentType = p.component_type ?? base.componentType
  if (p.host && componentType !== 'web') throw invalidField('host', 'only web components have a public host')
  const env = { ...(p.clear_env ? {} : base.env), ...p.env_vars }
  const secretEnv = [...new Set([...(p.clear_secrets ? [] : base.secretEnv), ...(p.secret_names ?? [])])].sort()
  const both = secretEnv.find(k => k in env)
  if (both) throw invalidField(p.secret_names?.includes(both) ? 'secret_env_vars' : 'env_vars', `"${both}" would be both a plain and a secret variable: give it once (clear_env or clear_secrets to move it)`)
  const spec: ServiceSpec = {
    ...base,
    image: { repository: p.image?.repository ?? base.image.repository, tag: p.image?.tag ?? base.image.tag },
    ...(p.source ? { source: p.source } : p.image?.repository ? { source: undefined } : {}),
    port: p.port ?? base.port,
    componentType,
    host: componentType === 'web' ? (p.host ?? base.host) : undefined,
    healthCheckPath: p.health_check_path ?? base.healthCheckPath,
    resources: p.resources ?? base.resources,
    env,
    secretEnv,
    database: p.provision_database ?? base.database,
    // update-config always rolls the pods, even when only secret values changed.
    configRevision: base.configRevision + (p.action === 'update-config' ? 1 : 0),
  }
  return ServiceSpec.parse(p.scaling ? applyScaling(spec, p.scaling) : spec)
}

/**
 * The commit of a deploy. `provision_database: true` for an app without a database creates
 * it in the same commit, through the same files as mctl_provision_database.
 */
export function deployChanges(p: DeployParams, index: RepoIndex) {
  const current = existingService(index, p.team_name, p.component_name, p.action === 'onboard' ? 'absent' : 'present')
  const changes = serviceChanges(p.team_name, p.component_name, nextSpec(p, current), index.platform)
  if (p.provision_database && !index.database(p.team_name, p.component_name)) {
    for (const [path, content] of databaseChanges(p.team_name, p.component_name, index)) changes.set(path, content)
  }
  return changes
}

function configSummary(p: DeployParams): string {
  const parts = [
    p.clear_env || p.env_vars ? `env ${[p.clear_env ? 'cleared' : '', Object.keys(p.env_vars ?? {}).sort().join(', ')].filter(Boolean).join(', set ')}` : '',
    p.clear_secrets || p.secret_names ? `secrets ${[p.clear_secrets ? 'cleared' : '', (p.secret_names ?? []).join(', ')].filter(Boolean).join(', set ')}` : '',
    p.scaling ? describeScaling(p.scaling) : '',
    p.port ? `port ${p.port}` : '',
    p.component_type ? `type ${p.component_type}` : '',
    p.host ? `host ${p.host}` : '',
    p.health_check_path ? `health check ${p.health_check_path}` : '',
    p.provision_database !== undefined ? `database ${p.provision_database ? 'on' : 'off'}` : '',
  ].filter(Boolean)
  return parts.length ? parts.join('; ') : 'restart'
}

export function deployTitle(p: DeployParams): CommitTitle {
  const subject = `${p.team_name}/${p.component_name}`
  const image = p.image?.repository ? `${p.image.repository}:${p.image.tag ?? ''}` : p.image?.tag ?? ''
  if (p.action === 'onboard') return { verb: 'onboard', subject, detail: image }
  if (p.action === 'deploy') return { verb: 'deploy', subject, detail: `→ ${image}` }
  return { verb: 'config', subject, detail: configSummary(p) }
}

/** clear_secrets: once the commit no longer names them, the old values leave the store. */
const pruneSecrets: StepDef<DeployParams> = {
  name: 'prune-secrets',
  async run({ params: p, services: { index, secrets } }) {
    if (!p.clear_secrets) return { message: 'No secrets to remove' }
    const keep = index.service(p.team_name, p.component_name)?.spec.secretEnv ?? []
    await secrets.retain(secretStoreKey(p.team_name, p.component_name), keep)
    return { message: `The secret store keeps ${keep.length} variable(s) of this service` }
  },
}

/** The image a deploy from `dockerfile_repo` + `git_tag` runs, built from that tag; else null. */
export function imageBuild(p: DeployParams, index: RepoIndex): ImageBuild | null {
  const repository = p.image?.repository ?? index.service(p.team_name, p.component_name)?.spec.image.repository
  if (!p.source || !p.image?.tag || !repository || p.action === 'update-config') return null
  return { repository: p.source.repository, gitRef: `refs/tags/${p.image.tag}`, dockerfilePath: p.source.dockerfilePath, destination: `${repository}:${p.image.tag}` }
}

const buildImage = buildImageStep(imageBuild)

export const deployOperation = defineOperation<DeployParams>({
  name: 'deploy-service',
  description: 'Onboard a service, deploy a new image tag, or change its configuration: service.yaml and its rendered manifests in one commit',
  riskLevel: 'medium',
  steps: [buildImage, commitStep({ title: deployTitle, build: deployChanges }), pruneSecrets, syncStep],
  summary(p, outputs) {
    const t = deployTitle(p)
    const built = outputs.image_built === true
      ? `; the image was built from ${outputs.image_source}`
      : outputs.image_built === false ? `; MCTL expects ${outputs.image} to exist (built by ${p.source!.repository}'s CI: the local engine does not build images)` : ''
    const detail = p.action === 'deploy' && p.previous ? `${p.previous} ${t.detail}` : t.detail
    return `Service "${t.subject}" ${p.action === 'onboard' ? 'onboarded' : p.action === 'deploy' ? 'deployed' : 'reconfigured'}: ${detail}${built}`
  },
})
