import type { ServiceInfo } from './useTenant'

/** One service of GET /api/v1/services (mctl_list_services): its spec and Argo CD status. */
export interface CatalogService extends ServiceInfo { health: string, sync: string, syncedAt?: string }
export interface CatalogPage { items: CatalogService[], count: number, total: number, next_cursor?: string, note?: string }
export type CatalogSort = 'tenant' | 'name' | 'updated'

export const PAGE_SIZE = 25
/** The filter value that filters nothing (a select's items cannot have an empty value). */
export const ANY = 'any'
const SEARCH_DELAY_MS = 300

/**
 * The service catalog: every service the person can see, filtered, sorted and paged by the
 * API's cursor. The filters live here and in the address (so Back and a shared link keep
 * them); a live refresh reads the same page again, and a new filter starts from the first page.
 */
export function useServiceCatalog() {
  const route = useRoute()
  const router = useRouter()
  const from = (key: string, fallback: string) => {
    const value = route.query[key]
    return typeof value === 'string' && value ? value : fallback
  }
  const search = ref(from('q', ''))
  const filters = reactive({
    tenant: from('team', ANY), type: from('type', ANY), health: from('health', ANY), sync: from('sync', ANY),
    sort: (['name', 'updated'].includes(from('sort', '')) ? from('sort', '') : 'tenant') as CatalogSort,
  })
  // Typing is sent once it pauses, not per key.
  const q = ref(search.value)
  let typing: ReturnType<typeof setTimeout> | undefined
  watch(search, (value) => {
    clearTimeout(typing)
    typing = setTimeout(() => { q.value = value.trim() }, SEARCH_DELAY_MS)
  })
  onScopeDispose(() => clearTimeout(typing))

  const chosen = computed(() => ({
    // Team and name unless sorted otherwise.
    ...(filters.sort !== 'tenant' ? { sort: filters.sort } : {}),
    ...(q.value ? { q: q.value } : {}),
    ...(filters.tenant !== ANY ? { team: filters.tenant } : {}),
    ...(filters.type !== ANY ? { type: filters.type } : {}),
    ...(filters.health !== ANY ? { health: filters.health } : {}),
    ...(filters.sync !== ANY ? { sync: filters.sync } : {}),
  }))
  // The cursors of the pages before this one; the last is this page's.
  const cursors = ref<string[]>([])
  const query = computed(() => ({ limit: PAGE_SIZE, ...chosen.value, ...(cursors.value.length ? { cursor: cursors.value.at(-1) } : {}) }))
  watch(chosen, (value) => {
    cursors.value = []
    void router.replace({ query: value })
  })

  const page = useFetch<CatalogPage>('/api/v1/services', { key: 'service-catalog', query })
  useLiveRefresh(() => page.refresh())

  return {
    search,
    /** Whether anything narrows the list (for the empty state and "Clear filters"). */
    filtered: computed(() => !!search.value || [filters.tenant, filters.type, filters.health, filters.sync].some(f => f !== ANY)),
    filters,
    page,
    /** 1-based number of the page shown. */
    pageNumber: computed(() => cursors.value.length + 1),
    next() {
      const cursor = page.data.value?.next_cursor
      if (cursor) cursors.value = [...cursors.value, cursor]
    },
    previous() { cursors.value = cursors.value.slice(0, -1) },
    clear() {
      search.value = ''
      q.value = ''
      Object.assign(filters, { tenant: ANY, type: ANY, health: ANY, sync: ANY })
    },
  }
}
