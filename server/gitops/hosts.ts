import { defaultHost } from './names'
import type { PlatformSpec, ServiceSpec } from './specs'

/** The public host of a service: its own, or the default; null for workers (no Ingress). */
export function serviceHost(tenant: string, name: string, spec: ServiceSpec, platform: PlatformSpec): string | null {
  return spec.componentType === 'web' ? (spec.host ?? defaultHost(tenant, name, platform.baseDomain)) : null
}

/** Every host name a service answers on: its host and its custom domains. */
export function hostsOf(tenant: string, name: string, spec: ServiceSpec, platform: PlatformSpec): string[] {
  const host = serviceHost(tenant, name, spec, platform)
  return [...(host ? [host] : []), ...spec.domains.map(d => d.name)]
}
