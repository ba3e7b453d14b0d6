import { resolve } from 'node:path'

/** Typed settings from Nuxt runtime config (NUXT_* environment variables; README lists them). */
export interface Settings {
  dataDir: string
  baseUrl: string
  bootstrapAdminToken: string
  adminUsers: string[]
  allowedOrigins: string[]
  baseDomain: string
  alertmanagerToken: string
  metricsToken: string
  github: { url: string, apiUrl: string, appId: string, appPrivateKey: string, appSlug: string }
  gitops: {
    dir: string
    remoteUrl: string
    branch: string
    token: string
    committer: { name: string, email: string }
    pollSeconds: number
    fetchSeconds: number
  }
  engine: { concurrency: number }
}

export class SettingsError extends Error {}

const list = (v: unknown) => String(v ?? '').split(',').map(s => s.trim()).filter(Boolean)

export function loadSettings(config: Record<string, any>): Settings {
  const dataDir = resolve(String(config.dataDir || './data'))
  const token = String(config.bootstrapAdminToken ?? '')
  if (token && token.length < 24)
    throw new SettingsError(`NUXT_BOOTSTRAP_ADMIN_TOKEN must be at least 24 characters long (it has ${token.length}); use e.g. \`openssl rand -hex 32\``)
  const baseUrl = String(config.public?.baseUrl || 'http://localhost:3000').replace(/\/+$/, '')
  try { new URL(baseUrl) }
  catch { throw new SettingsError(`NUXT_PUBLIC_BASE_URL must be an absolute URL, got "${baseUrl}"`) }
  const g = config.gitops ?? {}
  return {
    dataDir,
    baseUrl,
    bootstrapAdminToken: token,
    adminUsers: list(config.adminUsers),
    allowedOrigins: [new URL(baseUrl).origin, ...list(config.allowedOrigins)],
    baseDomain: String(config.baseDomain || 'apps.example.com'),
    alertmanagerToken: String(config.alertmanagerToken ?? ''),
    metricsToken: String(config.metricsToken ?? ''),
    github: {
      url: String(config.githubUrl || 'https://github.com'),
      apiUrl: String(config.githubApiUrl || 'https://api.github.com'),
      appId: String(config.githubAppId ?? ''),
      appPrivateKey: String(config.githubAppPrivateKey ?? ''),
      appSlug: String(config.githubAppSlug ?? ''),
    },
    gitops: {
      dir: resolve(dataDir, 'gitops'),
      remoteUrl: String(g.remoteUrl ?? ''),
      branch: String(g.branch || 'main'),
      token: String(g.token ?? ''),
      committer: { name: String(g.committerName || 'MCTL'), email: String(g.committerEmail || 'mctl@localhost') },
      pollSeconds: Number(g.pollSeconds ?? 2),
      fetchSeconds: Number(g.fetchSeconds ?? 30),
    },
    engine: { concurrency: Math.max(1, Number(config.engine?.concurrency ?? 4)) },
  }
}
