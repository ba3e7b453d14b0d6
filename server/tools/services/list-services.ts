import { z } from 'zod'
import { canSee } from '../../auth/access'
import { tenantRef } from '../../gitops/names'
import { compareServices, type ServiceEntry } from '../../gitops/state'
import { defineTool, READ } from '../define'
import { Service } from '../schemas'
import { serviceView } from '../../domain/services/view'

const key = (s: ServiceEntry) => `${s.tenant}/${s.name}`
const fromKey = (cursor: string) => ({ tenant: cursor.split('/')[0] ?? '', name: cursor.split('/')[1] ?? '' })

export default defineTool({
  name: 'mctl_list_services',
  title: 'List services',
  description: 'Services you can see (all for admins), optionally of one tenant, by team and name. Paged: pass next_cursor back as cursor.',
  input: z.object({
    team: tenantRef('Only services of this tenant').optional(),
    limit: z.number().int().min(1).max(1000).default(200).describe('Services per page'),
    cursor: z.string().max(64).optional().describe('next_cursor of the previous page'),
  }),
  output: z.object({
    items: z.array(Service),
    count: z.number().int().describe('Services on this page'),
    total: z.number().int().describe('All services that match'),
    next_cursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
  }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/services' },
  async handler({ identity, services: { index } }, { team, limit, cursor }) {
    // Sorted once per index change; a page is a slice, so 20,000 services cost a page, not a sort.
    const visible = team
      ? (canSee(identity, index.tenant(team)) ? index.servicesOf(team).sort(compareServices) : [])
      : identity.isAdmin ? index.sortedServices() : index.sortedServices().filter(s => canSee(identity, index.tenant(s.tenant)))
    let start = 0
    if (cursor) {
      const after = fromKey(cursor)
      let lo = 0, hi = visible.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (compareServices(visible[mid]!, after) <= 0) lo = mid + 1
        else hi = mid
      }
      start = lo
    }
    const page = visible.slice(start, start + limit)
    const more = start + limit < visible.length
    return {
      items: page.map(s => serviceView(s, index.platform)),
      count: page.length,
      total: visible.length,
      ...(more ? { next_cursor: key(page[page.length - 1]!) } : {}),
    }
  },
})
