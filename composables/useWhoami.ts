/** Who is signed in, as mctl_whoami answers it (tenants with roles, admin or not). Shared by every console page. */
export interface Whoami {
  userId: string
  displayName: string
  provider: string
  isAdmin: boolean
  groups: string[]
  tenants: { name: string, role: 'owner' | 'member' }[]
}

export function useWhoami() {
  return useFetch<Whoami>('/api/v1/whoami', { key: 'whoami', dedupe: 'defer' })
}
