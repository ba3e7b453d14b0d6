import { describe, expect, it } from 'vitest'
import { judge } from '../../server/domain/domains/check'

const HOST = 'shop-api.apps.test'
const TOKEN = 'mctl-verify-abc'

describe('custom-domain verification (TOOLS.md "Domains")', () => {
  it.each([
    ['a CNAME to the service host', { cname: [HOST], txt: [] }, [], { result: 'match', method: 'cname' }],
    ['the TXT challenge', { cname: [], txt: ['other', TOKEN] }, [], { result: 'match', method: 'txt' }],
    ['the TXT challenge while the CNAME lookup failed', { cname: [], txt: [TOKEN] }, ['timeout'], { result: 'match', method: 'txt' }],
    ['nothing yet', { cname: [], txt: [] }, [], { result: 'absent', reason: 'no CNAME record for shop.example.com and no TXT record at _mctl-challenge.shop.example.com yet' }],
    ['a CNAME elsewhere', { cname: ['old.host.test'], txt: [] }, [], { result: 'mismatch', reason: `CNAME shop.example.com points to old.host.test, not ${HOST}` }],
    ['a wrong TXT value', { cname: [], txt: ['mctl-verify-zzz'] }, [], { result: 'mismatch', reason: 'TXT _mctl-challenge.shop.example.com holds "mctl-verify-zzz", not the challenge value' }],
    ['a silent resolver', { cname: [], txt: [] }, ['asking 127.0.0.1:1 for the CNAME record of shop.example.com: ETIMEOUT'], { result: 'unreachable', reason: 'asking 127.0.0.1:1 for the CNAME record of shop.example.com: ETIMEOUT' }],
  ] as const)('%s', (_, found, errors, verdict) => {
    expect(judge('shop.example.com', { cname: [...found.cname], txt: [...found.txt] }, [...errors], HOST, TOKEN)).toEqual(verdict)
  })
})
