import type { Settings } from '../../settings'
import { DnsResolver } from './resolver'
import type { Dns } from './types'

export type { Dns } from './types'

/** NUXT_DNS_RESOLVER when set, else the system resolver. */
export function createDns(settings: Settings['dns']): Dns {
  return new DnsResolver(settings.resolver, settings.timeoutMs)
}
