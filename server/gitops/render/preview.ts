import { secretStoreKey } from '../names'
import type { Changes } from '../repo'
import type { PlatformSpec, PreviewSpec, ServiceSpec } from '../specs'
import { previewDir, previewSpecPath } from '../state'
import { toYaml } from '../yaml'
import { renderServiceManifests } from './service'

/** GITOPS.md "Names": a preview `<service>-<id>`, its host and its Argo CD Application. */
export const previewName = (service: string, id: string) => `${service}-${id}`
export const previewHost = (tenant: string, service: string, id: string, baseDomain: string) => `${service}-${id}.${tenant}.preview.${baseDomain}`
export const previewApplication = (tenant: string, service: string, id: string) => `${tenant}-preview-${service}-${id}`

/**
 * What a preview runs: its service at another tag, one replica, on its own host — with the
 * service's env and secret env, but neither its custom domains nor its database (a preview
 * must not write production data).
 */
export function previewRunSpec(parent: ServiceSpec, imageTag: string, host: string): ServiceSpec {
  const { replicas: _r, autoscaling: _a, ...rest } = parent
  return {
    ...rest,
    image: { ...parent.image, tag: imageTag },
    replicas: 1,
    host: parent.componentType === 'web' ? host : undefined,
    domains: [],
    database: false,
  }
}

/** The preview folder: preview.yaml and the manifests rendered by the service renderer. */
export function previewChanges(tenant: string, id: string, preview: PreviewSpec, parent: ServiceSpec, platform: PlatformSpec): Changes {
  const name = previewName(preview.service, id)
  const dir = previewDir(tenant, name)
  const run = previewRunSpec(parent, preview.imageTag, previewHost(tenant, preview.service, id, platform.baseDomain))
  return new Map<string, string | null>([
    [dir, null],
    [previewSpecPath(tenant, name), toYaml(preview)],
    ...Object.entries(renderServiceManifests(tenant, name, run, platform, {
      storeKey: secretStoreKey(tenant, preview.service),
      labels: { 'mctl.dev/service': preview.service, 'mctl.dev/preview': id },
      dir: `${dir}/manifests`,
    })),
  ])
}
