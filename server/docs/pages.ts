import type { H3Event } from 'h3'
import { queryCollection, queryCollectionNavigation } from '@nuxt/content/server'
import type { DocPage } from './llms'

interface NavItem { path: string, children?: NavItem[] }
const flatten = (items: NavItem[]): string[] => items.flatMap(i => [i.path, ...flatten(i.children ?? [])])

/** Every docs page in the order the sidebar shows them (file names' number prefixes). */
export async function docPages(event: H3Event, withBody = false): Promise<DocPage[]> {
  const order = flatten(await queryCollectionNavigation(event, 'docs'))
  const query = queryCollection(event, 'docs')
  const pages: DocPage[] = await (withBody ? query.select('path', 'title', 'description', 'rawbody') : query.select('path', 'title', 'description')).all()
  const rank = (p: DocPage) => (order.indexOf(p.path) + 1) || Number.MAX_SAFE_INTEGER
  return pages.sort((a, b) => rank(a) - rank(b))
}
