import type { NavigationMenuItem } from '@nuxt/ui'

/**
 * The site's main destinations. /mcp is a full page load on purpose: the landing page and the
 * docs are prerendered at build, so their copy of the public runtime config holds the
 * build's base URL; the server renders /mcp with the URL it really serves.
 */
export const CONNECT_LINK = { label: 'Connect', to: '/mcp', external: true, icon: 'i-lucide-plug' } as const
export const CREATE_WORKSPACE_LINK = { label: 'Create a tenant', to: '/tenants/new', external: true, icon: 'i-lucide-plus' } as const
export const DOCS_LINK = { label: 'Docs', to: '/docs', icon: 'i-lucide-book-open' } as const
export const API_LINK = { label: 'API', to: '/docs/api', icon: 'i-lucide-braces' } as const

export function useSiteLinks() {
  const route = useRoute()
  return computed<NavigationMenuItem[]>(() => [
    { ...DOCS_LINK, active: route.path.startsWith('/docs') && route.path !== API_LINK.to },
    { ...API_LINK, active: route.path === API_LINK.to },
    { ...CONNECT_LINK, active: route.path === CONNECT_LINK.to },
  ])
}
