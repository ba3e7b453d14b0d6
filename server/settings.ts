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
  /** Kubernetes API (KUBECONFIG or the in-cluster service account); see adapters/kubernetes. */
  cluster: { timeoutMs: number, argocdNamespace: string }
  /** Loki for service logs; empty url = pod logs through the Kubernetes API. */
  loki: { url: string, orgId: string, timeoutMs: number }
  /** Vault KV v2 for secret env vars; empty addr = the embedded encrypted store. */
  vault: { addr: string, token: string, mount: string, timeoutMs: number }
  /** Resolver for custom-domain verification: `host[:port]`, empty = the system's. */
  dns: { resolver: string, timeoutMs: number }
  /** Prometheus-compatible query API (VictoriaMetrics, Thanos, …); empty url = none. */
  metrics: { url: string, timeoutMs: number }
  /** How often expired previews are looked for (seconds). */
  previews: { reapSeconds: number }
  /** The image the OpenClaw template runs (`registry/path:tag`). */
  openclaw: { image: string }
}

export class SettingsError extends Error {}

const list = (v: unknown) => String(v ?? '').split(',').map(s => s.trim()).filter(Boolean)

function positive(name: string, value: unknown, fallback: number, unit = 'milliseconds'): number {
  const n = Number(value ?? fallback)
  if (!Number.isInteger(n) || n <= 0) throw new SettingsError(`${name} must be a positive whole number of ${unit}, got "${value}"`)
  return n
}

function absoluteUrl(name: string, value: unknown): string {
  const url = String(value ?? '').trim().replace(/\/+$/, '')
  if (!url) return ''
  let protocol = ''
  try { protocol = new URL(url).protocol }
  catch { /* reported below */ }
  if (protocol !== 'http:' && protocol !== 'https:') throw new SettingsError(`${name} must be an absolute http(s) URL, got "${url}"`)
  return url
}

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
    cluster: {
      timeoutMs: positive('NUXT_CLUSTER_TIMEOUT_MS', config.cluster?.timeoutMs, 5000),
      argocdNamespace: String(config.cluster?.argocdNamespace || 'argocd'),
    },
    loki: {
      url: absoluteUrl('NUXT_LOKI_URL', config.loki?.url),
      orgId: String(config.loki?.orgId ?? ''),
      timeoutMs: positive('NUXT_LOKI_TIMEOUT_MS', config.loki?.timeoutMs, 5000),
    },
    vault: vaultSettings(config.vault ?? {}),
    dns: {
      resolver: resolverAddress(String(config.dns?.resolver ?? '').trim()),
      timeoutMs: positive('NUXT_DNS_TIMEOUT_MS', config.dns?.timeoutMs, 3000),
    },
    metrics: {
      url: absoluteUrl('NUXT_METRICS_URL', config.metrics?.url),
      timeoutMs: positive('NUXT_METRICS_TIMEOUT_MS', config.metrics?.timeoutMs, 10_000),
    },
    previews: { reapSeconds: positive('NUXT_PREVIEWS_REAP_SECONDS', config.previews?.reapSeconds, 60, 'seconds') },
    openclaw: { image: openclawImage(String(config.openclaw?.image || 'ghcr.io/openclaw/openclaw:2026.2.1')) },
  }
}

/** `1.2.3.4`, `1.2.3.4:5353`, `[::1]:53` or a host name: what node:dns `setServers` takes. */
function resolverAddress(value: string): string {
  if (!value) return ''
  if (!/^(\[[0-9a-f:.]+\]|[\w.-]+|[0-9a-f:]+)(:\d{1,5})?$/i.test(value))
    throw new SettingsError(`NUXT_DNS_RESOLVER must be an address with an optional port (e.g. "10.0.0.10" or "127.0.0.1:5353"), got "${value}"`)
  return value
}

function openclawImage(value: string): string {
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:[\w][\w.-]{0,127}$/.test(value))
    throw new SettingsError(`NUXT_OPENCLAW_IMAGE must be a full image reference with a tag (e.g. "ghcr.io/openclaw/openclaw:2026.2.1"), got "${value}"`)
  return value
}

function vaultSettings(v: Record<string, unknown>): Settings['vault'] {
  const addr = absoluteUrl('NUXT_VAULT_ADDR', v.addr)
  const token = String(v.token ?? '')
  // Half a Vault configuration would silently fall back to the embedded store: refuse it.
  if (!!addr !== !!token) throw new SettingsError('NUXT_VAULT_ADDR and NUXT_VAULT_TOKEN must be set together (or neither, for the embedded secret store)')
  return {
    addr,
    token,
    mount: String(v.mount || 'secret').replace(/^\/+|\/+$/g, ''),
    timeoutMs: positive('NUXT_VAULT_TIMEOUT_MS', v.timeoutMs, 5000),
  }
}
