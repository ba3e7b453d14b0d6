import { z } from 'zod'
import { canSee } from '../../auth/access'
import type { ListedApplication } from '../../adapters/kubernetes'
import { applicationName, tenantRef } from '../../gitops/names'
import { compareServices, type ServiceEntry } from '../../gitops/state'
import { serviceHost } from '../../gitops/hosts'
import { errorMessage } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { Service } from '../schemas'
import { NO_CLUSTER, serviceView } from '../../domain/services/view'

const HEALTH = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']
const SYNC = ['Synced', 'OutOfSync', 'Unknown']
// Checked, but not listed in the schema: tools/list is paid by every session (tests/unit/catalog.test.ts).
const oneOf = (values: string[]) => z.string().refine(v => values.includes(v), `must be one of ${values.join(', ')}`).optional()

/** A visible service with its live status; `at`: when Argo CD last synced it (ms, 0: unknown). */
interface Row { tenant: string, name: string, at: number, entry: ServiceEntry, app: ListedApplication | undefined }
type Key = Pick<Row, 'tenant' | 'name' | 'at'>
const ORDERS: Record<'tenant' | 'name' | 'updated', (a: Key, b: Key) => number> = {
  tenant: compareServices,
  // By service name, then tenant.
  name: (a, b) => compareServices({ tenant: a.name, name: a.tenant }, { tenant: b.name, name: b.tenant }),
  // Most recently synced first; never synced (or unknown) last.
  updated: (a, b) => b.at - a.at || compareServices(a, b),
}
// The cursor names the last row: `tenant/name`, plus `/<synced ms>` when sorted by update.
const cursorOf = (r: Row, sort: string) => `${r.tenant}/${r.name}${sort === 'updated' ? `/${r.at}` : ''}`
const fromCursor = (cursor: string): Key => {
  const [tenant = '', name = '', ms] = cursor.split('/')
  return { tenant, name, at: Number(ms) || 0 }
}

export default defineTool({
  name: 'mctl_list_services',
  title: 'List services',
  description: 'Services you can see (all for admins) with Argo CD health and sync, filtered and sorted. Paged: pass next_cursor back as cursor.',
  input: z.object({
    team: tenantRef('Only this tenant').optional(),
    q: z.string().max(100).optional().describe('Text search'),
    type: oneOf(['web', 'worker']).describe('web|worker'),
    health: oneOf(HEALTH).describe(HEALTH.join('|')),
    sync: oneOf(SYNC).describe('Synced|OutOfSync'),
    sort: z.enum(['name', 'updated']).optional().describe('Default: team, name'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Per page'),
    cursor: z.string().max(128).optional().describe('next_cursor of the last page'),
  }),
  output: z.object({
    items: z.array(Service.extend({ health: z.string(), sync: z.string(), syncedAt: z.string().optional() })),
    count: z.number().int().describe('Services on this page'),
    total: z.number().int().describe('All services that match'),
    next_cursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
    note: z.string().optional(),
  }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/services' },
  async handler({ identity, services: { index, cluster } }, { team, q, type, health, sync, sort = 'tenant', limit, cursor }) {
    // Sorted by tenant once per index change: unless sorted otherwise, 20,000 services cost a filter, not a sort.
    const visible = team
      ? (canSee(identity, index.tenant(team)) ? index.servicesOf(team).sort(compareServices) : [])
      : identity.isAdmin ? index.sortedServices() : index.sortedServices().filter(s => canSee(identity, index.tenant(s.tenant)))
    // Every Application in one cached list call, not one call per service.
    let apps = new Map<string, ListedApplication>(), note: string | undefined
    if (!cluster) note = NO_CLUSTER
    else {
      try { apps = await cluster.applications() }
      catch (err) { note = errorMessage(err) }
    }
    const needle = q?.trim().toLowerCase()
    const rows: Row[] = visible
      .filter(s => (!type || s.spec.componentType === type) && (!needle || [s.tenant, s.name, `${s.spec.image.repository}:${s.spec.image.tag}`, serviceHost(s.tenant, s.name, s.spec, index.platform) ?? ''].some(v => v.toLowerCase().includes(needle))))
      .map((entry) => {
        const app = apps.get(applicationName(entry.tenant, entry.name))
        return { tenant: entry.tenant, name: entry.name, at: app?.syncedAt ? Date.parse(app.syncedAt) : 0, entry, app }
      })
      .filter(r => (!health || (r.app?.healthStatus ?? 'Unknown') === health) && (!sync || (r.app?.syncStatus ?? 'Unknown') === sync))
    const order = ORDERS[sort as keyof typeof ORDERS]
    if (sort !== 'tenant') rows.sort(order)
    let start = 0
    if (cursor) {
      const after = fromCursor(cursor)
      let lo = 0, hi = rows.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (order(rows[mid]!, after) <= 0) lo = mid + 1
        else hi = mid
      }
      start = lo
    }
    const page = rows.slice(start, start + limit)
    const more = start + limit < rows.length
    return {
      items: page.map(r => ({
        ...serviceView(r.entry, index.platform),
        health: r.app?.healthStatus ?? 'Unknown',
        sync: r.app?.syncStatus ?? 'Unknown',
        ...(r.app?.syncedAt ? { syncedAt: r.app.syncedAt } : {}),
      })),
      count: page.length,
      total: rows.length,
      ...(more ? { next_cursor: cursorOf(page[page.length - 1]!, sort) } : {}),
      // Said when it explains something on the page (an empty list has no status to explain).
      ...(note && (page.length || health || sync) ? { note } : {}),
    }
  },
})
