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
  /** The self-healing agent (ARCHITECTURE.md "The self-healing agent"). */
  agent: {
    /** How often the worker looks at waiting incidents (verification deadlines, retries). */
    pollSeconds: number
    /** After a fix is applied, how long the alert may keep firing before the incident is escalated. */
    verifySeconds: number
    /** Remote skill: an HMAC-SHA256-signed webhook that may answer with a proposed change. */
    skills: { url: string, secret: string, timeoutMs: number }
    /** Pull requests for proposals when the GitOps repository is on GitHub ("owner/name"). */
    github: { repo: string, token: string }
  }
  /** Optional LLM analysis; off without an API key. */
  anthropic: { apiKey: string, model: string, baseUrl: string, timeoutMs: number }
  /** The bot that posts incidents and proposals; off without a token. */
  telegram: { botToken: string, apiUrl: string, webhookSecret: string, timeoutMs: number }
}

export class SettingsError extends Error {}

const list = (v: unknown) => String(v ?? '').split(',').map(s => s.trim()).filter(Boolean)

function positive(name: string, value: unknown, fallback: number): number {
  const n = Number(value ?? fallback)
  if (!Number.isInteger(n) || n <= 0) throw new SettingsError(`${name} must be a positive whole number of milliseconds, got "${value}"`)
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
    agent: agentSettings(config.agent ?? {}, String(g.remoteUrl ?? ''), String(g.token ?? ''), String(config.githubUrl || 'https://github.com')),
    anthropic: {
      apiKey: String(config.anthropic?.apiKey ?? ''),
      model: String(config.anthropic?.model || 'claude-sonnet-4-5'),
      baseUrl: absoluteUrl('NUXT_ANTHROPIC_BASE_URL', config.anthropic?.baseUrl || 'https://api.anthropic.com'),
      timeoutMs: positive('NUXT_ANTHROPIC_TIMEOUT_MS', config.anthropic?.timeoutMs, 30_000),
    },
    telegram: {
      botToken: String(config.telegram?.botToken ?? ''),
      apiUrl: absoluteUrl('NUXT_TELEGRAM_API_URL', config.telegram?.apiUrl || 'https://api.telegram.org'),
      webhookSecret: String(config.telegram?.webhookSecret ?? ''),
      timeoutMs: positive('NUXT_TELEGRAM_TIMEOUT_MS', config.telegram?.timeoutMs, 10_000),
    },
  }
}

function seconds(name: string, value: unknown, fallback: number): number {
  const n = Number(value ?? fallback)
  if (!Number.isInteger(n) || n <= 0) throw new SettingsError(`${name} must be a positive whole number of seconds, got "${value}"`)
  return n
}

/** `owner/name` of a GitHub remote URL (https or ssh) on `webUrl`'s host, else ''. */
export function githubRepoOf(remoteUrl: string, webUrl: string): string {
  const host = (() => { try { return new URL(webUrl).host } catch { return 'github.com' } })()
  const m = new RegExp(`^(?:https://(?:[^@/]+@)?|ssh://git@|git@)${host.replace(/\./g, '\\.')}[:/]([\\w.-]+)/([\\w.-]+?)(?:\\.git)?/?$`).exec(remoteUrl)
  return m ? `${m[1]}/${m[2]}` : ''
}

function agentSettings(a: Record<string, any>, remoteUrl: string, gitopsToken: string, githubUrl: string): Settings['agent'] {
  const skills = { url: absoluteUrl('NUXT_AGENT_SKILLS_URL', a.skillsUrl), secret: String(a.skillsSecret ?? ''), timeoutMs: positive('NUXT_AGENT_SKILLS_TIMEOUT_MS', a.skillsTimeoutMs, 10_000) }
  // An unsigned webhook would let anyone who can reach the URL's host impersonate MCTL.
  if (skills.url && !skills.secret) throw new SettingsError('NUXT_AGENT_SKILLS_URL needs NUXT_AGENT_SKILLS_SECRET (the HMAC-SHA256 key the requests are signed with)')
  const repo = String(a.githubRepo ?? '').trim() || githubRepoOf(remoteUrl, githubUrl)
  if (repo && !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new SettingsError(`NUXT_AGENT_GITHUB_REPO must be "owner/name", got "${repo}"`)
  return {
    pollSeconds: seconds('NUXT_AGENT_POLL_SECONDS', a.pollSeconds, 10),
    verifySeconds: seconds('NUXT_AGENT_VERIFY_SECONDS', a.verifySeconds, 900),
    skills,
    // The GitOps token usually is a GitHub token already; a separate one may have PR rights only.
    github: { repo, token: String(a.githubToken || gitopsToken || '') },
  }
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
