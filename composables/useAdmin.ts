/** The admin console's data: mctl_list_tenants and the admin-only routes under /api/admin. */
export interface AdminTenant { name: string, displayName: string, contactEmail: string, quotas: { cpu: string, memory: string, pods: number }, members: { userId: string, role: string }[], serviceCount: number }
export interface AdminUser { id: string, displayName: string, email: string | null, provider: string, isAdmin: boolean, groups: string[], createdAt: string, lastSeenAt: string | null, deactivatedAt: string | null }
export interface AdminPendingInvite { id: string, login: string | null, isAdmin: boolean, groups: string[], createdBy: string | null, createdAt: string, expiresAt: string }
export interface AdminClient { clientId: string, name: string | null, redirectUris: string[], authMethod: string, source: 'configured' | 'registered', registeredAt: string | null }
export interface SettingsSection { title: string, items: { name: string, value: string }[] }

/**
 * Fetches only for admins (a 403 per table would tell a non-admin nothing the page does not),
 * on the server too, so the first render and hydration see the same rows.
 */
export function useAdmin(isAdmin: boolean) {
  const opts = { immediate: isAdmin } as const
  const tenants = useFetch<{ items: AdminTenant[] }>('/api/v1/tenants', { key: 'admin:tenants', ...opts })
  const users = useFetch<{ items: AdminUser[] }>('/api/admin/users', { key: 'admin:users', ...opts })
  const invites = useFetch<{ items: AdminPendingInvite[] }>('/api/admin/invites', { key: 'admin:invites', ...opts })
  const clients = useFetch<{ items: AdminClient[] }>('/api/admin/oauth-clients', { key: 'admin:clients', ...opts })
  const settings = useFetch<{ sections: SettingsSection[] }>('/api/admin/settings', { key: 'admin:settings', ...opts })
  return { tenants, users, invites, clients, settings }
}
