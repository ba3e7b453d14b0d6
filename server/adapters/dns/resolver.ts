import { Resolver } from 'node:dns/promises'
import { upstream } from '../../utils/errors'
import type { Dns } from './types'

/** "No such record" answers: the name or the record type does not exist (yet). */
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME'])

/**
 * Real DNS queries over the wire (c-ares, through node:dns) to the configured resolver, or
 * the system's. Each query is bounded by the timeout; a resolver that fails or stays silent
 * is an error naming it, never mistaken for a missing record.
 */
export class DnsResolver implements Dns {
  readonly resolver: string
  private readonly r: Resolver

  constructor(address: string, timeoutMs: number) {
    this.r = new Resolver({ timeout: timeoutMs, tries: 1 })
    if (address) this.r.setServers([address])
    this.resolver = address || 'the system resolver'
  }

  async cname(name: string) {
    return (await this.ask('CNAME', name, () => this.r.resolveCname(name))).map(normalize)
  }

  async txt(name: string) {
    return (await this.ask('TXT', name, () => this.r.resolveTxt(name))).map(parts => parts.join(''))
  }

  private async ask<T>(type: string, name: string, query: () => Promise<T[]>): Promise<T[]> {
    try {
      return await query()
    }
    catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? ''
      if (ABSENT.has(code)) return []
      throw upstream(`asking ${this.resolver} for the ${type} record of ${name}: ${code || (err as Error).message}`)
    }
  }
}

const normalize = (host: string) => host.toLowerCase().replace(/\.$/, '')
