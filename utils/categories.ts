/**
 * How the site presents a tool category (the folder name under server/tools/). Which
 * categories exist and how many tools each has come from the registry only: a category
 * missing here still shows, titled from its name.
 */
const CATEGORIES: Record<string, { label: string, icon: string, description: string }> = {
  identity: { label: 'Identity', icon: 'i-lucide-user-round', description: 'Who you are: your tenants, roles and groups.' },
  tenants: { label: 'Tenants', icon: 'i-lucide-building-2', description: 'Teams\' tenants: their own namespace, quota, network isolation and members.' },
  services: { label: 'Services', icon: 'i-lucide-box', description: 'Onboard, deploy, scale, roll back and retire apps; read status, config and logs.' },
  operations: { label: 'Operations & workflows', icon: 'i-lucide-workflow', description: 'What can be run, the audit log and the live progress of every run.' },
  incidents: { label: 'Incidents', icon: 'i-lucide-siren', description: 'Alerts mapped to tenants and services; acknowledge and resolve them.' },
  domains: { label: 'Domains', icon: 'i-lucide-globe', description: 'Custom domains with DNS verification and certificates.' },
  databases: { label: 'Databases', icon: 'i-lucide-database', description: 'PostgreSQL databases with credentials delivered to the app.' },
  previews: { label: 'Preview environments', icon: 'i-lucide-git-pull-request', description: 'Short-lived copies of a service at any tag, removed when they expire.' },
  repos: { label: 'Repositories', icon: 'i-lucide-git-branch', description: 'Register source repositories through the GitHub App.' },
  optimization: { label: 'Resource optimization', icon: 'i-lucide-gauge', description: 'Right-size from real metrics and apply resource profiles.' },
}

export function categoryInfo(id: string) {
  return CATEGORIES[id] ?? { label: id.charAt(0).toUpperCase() + id.slice(1), icon: 'i-lucide-wrench', description: '' }
}

export const KIND_LABELS = { read: 'read-only', write: 'write', destructive: 'destructive' } as const
