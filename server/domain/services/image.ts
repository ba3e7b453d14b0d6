import type { PlatformSpec, ServiceSpec } from '../../gitops/specs'
import { invalidField } from '../../utils/errors'
import type { DeployInput, DeployParams } from './deploy-input'

/** Splits `registry/path:tag` (a registry port is not a tag: the tag follows the last "/"). */
function splitImage(ref: string): { repository: string, tag?: string } {
  const colon = ref.lastIndexOf(':')
  return colon > ref.lastIndexOf('/') ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repository: ref }
}

/**
 * The image an input asks for (TOOLS.md: `image` as a full reference, or `dockerfile_repo` +
 * `git_tag` built into `<registry>/<owner>/<repo>:<git_tag>`), as only what changes, with the
 * rules of each action: onboard needs both, deploy a tag, update-config neither.
 */
export function resolveImage(input: DeployInput, platform: PlatformSpec, current: ServiceSpec | undefined): Pick<DeployParams, 'image' | 'source'> {
  if (input.image && input.dockerfile_repo) throw invalidField('image', 'give either image or dockerfile_repo, not both')
  if (input.dockerfile_path && !input.dockerfile_repo) throw invalidField('dockerfile_path', 'only applies with dockerfile_repo')
  const given: { repository?: string, tag?: string } = input.image ? splitImage(input.image) : {}
  const tags = [...new Set([given.tag, input.image_tag, input.git_tag].filter((t): t is string => !!t))]
  if (tags.length > 1) throw invalidField('image_tag', `conflicting tags given (${tags.join(', ')}): give the tag once`)
  const tag = tags[0]
  const repository = input.dockerfile_repo
    ? `${platform.registry.replace(/\/+$/, '')}/${input.dockerfile_repo.toLowerCase()}`
    : given.repository
  const source = input.dockerfile_repo ? { repository: input.dockerfile_repo, dockerfilePath: input.dockerfile_path ?? 'Dockerfile' } : undefined

  if (input.action === 'onboard') {
    if (!repository) throw invalidField('image', 'required to onboard a service (or dockerfile_repo to build from a repository)')
    if (!tag) throw invalidField('image_tag', 'required to onboard: the tag to run (or put it in image, e.g. "ghcr.io/org/app:1.0.0")')
  }
  if (input.action === 'deploy' && !tag) throw invalidField('image_tag', 'required for deploy: the tag to roll out')
  if (input.action === 'update-config' && (repository || tag)) throw invalidField(input.image ? 'image' : 'image_tag', 'update-config does not change the image: use action "deploy"')
  const image = {
    ...(repository && repository !== current?.image.repository ? { repository } : {}),
    ...(tag ? { tag } : {}),
  }
  return { ...(Object.keys(image).length ? { image } : {}), ...(source ? { source } : {}) }
}
