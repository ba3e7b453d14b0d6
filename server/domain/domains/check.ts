import type { Dns } from '../../adapters/dns'
import { errorMessage } from '../../utils/errors'
import { challengeName } from './store'

export interface Found { cname: string[], txt: string[] }

export type Verdict =
  | { result: 'match', method: 'cname' | 'txt' }
  /** DNS answered, with neither record: not created (or not propagated) yet. */
  | { result: 'absent', reason: string }
  /** DNS answered with a record that points elsewhere or holds another value. */
  | { result: 'mismatch', reason: string }
  /** The resolver did not answer: nothing can be concluded. */
  | { result: 'unreachable', reason: string }

/** Asks DNS for both proofs of control: the CNAME of the domain and the challenge TXT. */
export async function lookup(dns: Dns, domain: string): Promise<{ found: Found, errors: string[] }> {
  const errors: string[] = []
  const ask = (q: Promise<string[]>) => q.catch((err) => { errors.push(errorMessage(err)); return [] })
  const [cname, txt] = await Promise.all([ask(dns.cname(domain)), ask(dns.txt(challengeName(domain)))])
  return { found: { cname, txt }, errors }
}

/** TOOLS.md "Domains": control is proven by a CNAME to the service host or the TXT challenge. */
export function judge(domain: string, found: Found, errors: string[], host: string | null, token: string): Verdict {
  if (host && found.cname.includes(host)) return { result: 'match', method: 'cname' }
  if (found.txt.includes(token)) return { result: 'match', method: 'txt' }
  if (errors.length) return { result: 'unreachable', reason: errors.join('; ') }
  const wrong = [
    found.cname.length ? `CNAME ${domain} points to ${found.cname.join(', ')}, not ${host ?? 'a host of this service'}` : '',
    found.txt.length ? `TXT ${challengeName(domain)} holds ${found.txt.map(t => JSON.stringify(t)).join(', ')}, not the challenge value` : '',
  ].filter(Boolean)
  if (wrong.length) return { result: 'mismatch', reason: wrong.join('; ') }
  return { result: 'absent', reason: `no CNAME record for ${domain} and no TXT record at ${challengeName(domain)} yet` }
}
