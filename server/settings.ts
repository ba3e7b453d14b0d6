import { resolve } from 'node:path'
import { z } from 'zod'

/** Typed settings from Nuxt runtime config (NUXT_* environment variables; README lists them). */
export interface Settings {
  dataDir: string
  baseUrl: string
  /** Seals browser session cookies (NUXT_SESSION_PASSWORD, else generated into the data dir). */
  sessionPassword: string
  /** Lifetime of a browser session in seconds (NUXT_SESSION_MAX_AGE), kept on the server too. */
  sessionMaxAge: number
  bootstrapAdminToken: string
  adminUsers: string[]
  allowedOrigins: string[]
  baseDomain: string
  alertmanagerToken: string
  metricsToken: string
  gitops: {
    dir: string
    remoteUrl: string
    branch: string
    token: string
    committer: { name: string, email: string }
    pollSeconds: number
    fetchSeconds: number
  }
  engine: {
    /** local: steps run in this process; argo: each operation is an Argo Workflow. */
    kind: 'local' | 'argo'
    /** Operations in flight at once (running here, or Workflows submitted and watched). */
    concurrency: number
    argo: ArgoEngineSettings
  }
  /** Kubernetes API (KUBECONFIG or the in-cluster service account); see adapters/kubernetes. */
  cluster: { timeoutMs: number, argocdNamespace: string }
  /** Loki for service logs; empty url = pod logs through the Kubernetes API. */
  loki: { url: string, orgId: string, timeoutMs: number }
  /** Vault KV v2 for secret env vars; empty addr = the embedded encrypted store. */
  vault: { addr: string, token: string, mount: string, timeoutMs: number }
  github: {
    /** Web and API roots (GitHub Enterprise Server, or a loopback fake in tests). */
    url: string
    apiUrl: string
    /** OAuth app for browser sign-in; empty: GitHub sign-in is off. */
    clientId: string
    clientSecret: string
    /** Ask for read:org and map team membership to `org/team` groups. */
    teams: boolean
    /** GitHub sign-in and GitHub tokens only for members of one of these organisations (lower case); empty: anyone. */
    orgs: string[]
    /** Accept GitHub tokens as bearer tokens on /mcp and /api/v1. */
    acceptTokens: boolean
    /** The MCTL GitHub App that registers tenants' repositories; empty: not configured. */
    appId: string
    appPrivateKey: string
    appSlug: string
  }
  /** Any OpenID Connect issuer (Dex, Keycloak, …); issuer '' turns it off. */
  oidc: {
    issuer: string
    clientId: string
    clientSecret: string
    name: string
    scope: string[]
    groupsClaim: string
    usernameClaim: string
  }
  /** Pre-registered clients of the OAuth server (NUXT_OAUTH_CLIENTS). */
  oauthClients: OAuthClientConfig[]
  /**
   * Fetch client ID metadata documents from loopback and private addresses too (clients
   * hosted inside the company network). Off: such fetches are refused as SSRF.
   */
  oauthClientMetadataPrivateNetworks: boolean
  /** Believe X-Forwarded-For / X-Forwarded-Proto (set when behind an ingress or proxy). */
  trustProxy: boolean
  rateLimit: { readsPerMinute: number, writesPerMinute: number, authPerMinute: number }
  /** Resolver for custom-domain verification: `host[:port]`, empty = the system's. */
  dns: { resolver: string, timeoutMs: number }
  /** Prometheus-compatible query API (VictoriaMetrics, Thanos, …); empty url = none. */
  metrics: { url: string, timeoutMs: number }
  /** How often expired previews are looked for (seconds). */
  previews: { reapSeconds: number }
  /** How often the domain checker looks at DNS for custom domains waiting for it (seconds). */
  domains: { checkSeconds: number }
  /** The image the OpenClaw template runs (`registry/path:tag`). */
  openclaw: { image: string }
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

/** What an operation's Workflow needs to run the app image next to MCTL (see operations/argo). */
export interface ArgoEngineSettings {
  /** Where Workflows are created: MCTL's own namespace, as its runner pods mount MCTL's data claim. */
  namespace: string
  /** The MCTL image (this version), whose `node .output/server/operation.mjs <id>` runs the steps. */
  image: string
  serviceAccount: string
  /** The PersistentVolumeClaim of MCTL's data directory, mounted at /data in the runner pod. */
  dataClaim: string
  /** ConfigMap and Secret with MCTL's NUXT_* settings, given to the runner pod as its environment. */
  envConfigMap: string
  envSecret: string
  kanikoImage: string
  /** A docker-registry Secret (`.dockerconfigjson`) kaniko pushes built images with. */
  registrySecret: string
  /** A Secret with `username` and `password` kaniko clones private dockerfile_repo repositories with. */
  gitSecret: string
  pollSeconds: number
}

const OAuthClientConfig = z.object({
  client_id: z.string().min(1),
  client_name: z.string().optional(),
  client_secret: z.string().min(32).optional(),
  redirect_uris: z.array(z.url()).min(1),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_basic', 'client_secret_post']).optional(),
  application_type: z.enum(['web', 'native']).optional(),
}).strict()
export type OAuthClientConfig = z.infer<typeof OAuthClientConfig>

export class SettingsError extends Error {}

/** Whether people can sign in to the browser through GitHub or an OIDC issuer (not only with a password). */
export const browserSignIn = (s: Settings) => Boolean(s.github.clientId || s.oidc.issuer)

const list = (v: unknown) => String(v ?? '').split(',').map(s => s.trim()).filter(Boolean)
const bool = (v: unknown, fallback: boolean) => v === undefined || v === '' ? fallback : v === true || v === 'true' || v === '1'
const url = (v: unknown, fallback: string) => String(v || fallback).replace(/\/+$/, '')

function oauthClients(raw: unknown): OAuthClientConfig[] {
  if (raw === undefined || raw === null || raw === '') return []
  let value = raw
  if (typeof raw === 'string') {
    try { value = JSON.parse(raw) }
    catch { throw new SettingsError('NUXT_OAUTH_CLIENTS must be a JSON array of client metadata objects') }
  }
  const parsed = z.array(OAuthClientConfig).safeParse(value)
  if (!parsed.success) {
    throw new SettingsError(`NUXT_OAUTH_CLIENTS is invalid: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  }
  return parsed.data
}

/**
 * Where the server listens, as a URL a person can open: Nitro's own `PORT`/`HOST` (or
 * `NITRO_PORT`/`NITRO_HOST`), with "localhost" for all interfaces.
 */
export function listenUrl(env: NodeJS.ProcessEnv = process.env): string {
  const port = env.NITRO_PORT || env.PORT || '3000'
  const host = env.NITRO_HOST || env.HOST || ''
  const shown = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return `http://${shown}:${port}`
}

/**
 * The public URL when NUXT_PUBLIC_BASE_URL is not set: where this server listens, so that
 * `PORT=3400 npm start` gives links, OAuth metadata and the allowed Origin of port 3400.
 * Set in the environment, as pages read it from the per-request runtime config.
 */
export function prepareBaseUrl(env: NodeJS.ProcessEnv) {
  env.NUXT_PUBLIC_BASE_URL ||= listenUrl(env)
}

/**
 * Browser-session settings nuxt-auth-utils reads from the environment, fixed before the first
 * request: a generated password kept in the data dir when none is set, and Secure cookies
 * exactly when the public URL is https.
 */
export function prepareSessionEnv(config: Record<string, any>, env: NodeJS.ProcessEnv, readSecret: (file: string) => string) {
  if (!config.session?.password && !env.NUXT_SESSION_PASSWORD)
    env.NUXT_SESSION_PASSWORD = readSecret(resolve(String(config.dataDir || './data'), 'session.key'))
  env.NUXT_SESSION_COOKIE_SECURE ??= String(String(env.NUXT_PUBLIC_BASE_URL || config.public?.baseUrl || '').startsWith('https:'))
}

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

/** An environment value as Nitro reads it (destr): JSON literals parsed, anything else a string. */
function envValue(raw: string): unknown {
  if (/^(true|false|null)$|^-?\d+(\.\d+)?$|^[[{"]/.test(raw.trim())) {
    try { return JSON.parse(raw) }
    catch { /* a plain string after all */ }
  }
  return raw
}

/**
 * Runtime config with NUXT_* variables applied as Nitro applies them (`gitops.remoteUrl` ←
 * NUXT_GITOPS_REMOTE_URL), for the entry that runs outside Nitro: the operation runner.
 */
export function applyEnv(config: Record<string, any>, env: NodeJS.ProcessEnv, prefix = 'NUXT_'): Record<string, any> {
  const snake = (k: string) => k.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()
  return Object.fromEntries(Object.entries(config).map(([key, value]) => {
    const name = `${prefix}${snake(key)}`
    if (value && typeof value === 'object' && !Array.isArray(value)) return [key, applyEnv(value, env, `${name}_`)]
    return [key, env[name] === undefined ? value : envValue(env[name]!)]
  }))
}

export function loadSettings(config: Record<string, any>): Settings {
  const dataDir = resolve(String(config.dataDir || './data'))
  const token = String(config.bootstrapAdminToken ?? '')
  if (token && token.length < 24)
    throw new SettingsError(`NUXT_BOOTSTRAP_ADMIN_TOKEN must be at least 24 characters long (it has ${token.length}); use e.g. \`openssl rand -hex 32\``)
  const baseUrl = String(config.public?.baseUrl || listenUrl()).replace(/\/+$/, '')
  try { new URL(baseUrl) }
  catch { throw new SettingsError(`NUXT_PUBLIC_BASE_URL must be an absolute URL, got "${baseUrl}"`) }
  const g = config.gitops ?? {}
  const sessionPassword = String(config.session?.password || process.env.NUXT_SESSION_PASSWORD || '')
  if (sessionPassword.length < 32)
    throw new SettingsError('NUXT_SESSION_PASSWORD must be at least 32 characters long; leave it unset to have one generated into the data directory')
  const settings: Settings = {
    dataDir,
    baseUrl,
    sessionPassword,
    sessionMaxAge: positive('NUXT_SESSION_MAX_AGE', config.session?.maxAge, 60 * 60 * 24 * 7, 'seconds'),
    bootstrapAdminToken: token,
    adminUsers: list(config.adminUsers),
    allowedOrigins: [new URL(baseUrl).origin, ...list(config.allowedOrigins)],
    baseDomain: String(config.baseDomain || 'apps.example.com'),
    alertmanagerToken: String(config.alertmanagerToken ?? ''),
    metricsToken: String(config.metricsToken ?? ''),
    gitops: {
      dir: resolve(dataDir, 'gitops'),
      remoteUrl: String(g.remoteUrl ?? ''),
      branch: String(g.branch || 'main'),
      token: String(g.token ?? ''),
      committer: { name: String(g.committerName || 'MCTL'), email: String(g.committerEmail || 'mctl@localhost') },
      pollSeconds: Number(g.pollSeconds ?? 2),
      fetchSeconds: Number(g.fetchSeconds ?? 30),
    },
    engine: engineSettings(config),
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
    github: {
      url: url(config.githubUrl, 'https://github.com'),
      apiUrl: url(config.githubApiUrl, 'https://api.github.com'),
      clientId: String(config.oauth?.github?.clientId ?? ''),
      clientSecret: String(config.oauth?.github?.clientSecret ?? ''),
      teams: bool(config.oauth?.github?.teams, false),
      orgs: githubOrgs(config.oauth?.github?.orgs),
      acceptTokens: bool(config.auth?.acceptGithubTokens, true),
      appId: String(config.githubAppId ?? ''),
      appPrivateKey: String(config.githubAppPrivateKey ?? ''),
      appSlug: String(config.githubAppSlug ?? ''),
    },
    oidc: {
      issuer: url(config.oauth?.oidc?.issuer, ''),
      clientId: String(config.oauth?.oidc?.clientId ?? ''),
      clientSecret: String(config.oauth?.oidc?.clientSecret ?? ''),
      name: String(config.oauth?.oidc?.name || 'Single sign-on'),
      scope: String(config.oauth?.oidc?.scope || 'openid profile email groups').split(/[\s,]+/).filter(Boolean),
      groupsClaim: String(config.oauth?.oidc?.groupsClaim || 'groups'),
      usernameClaim: String(config.oauth?.oidc?.usernameClaim || 'preferred_username'),
    },
    oauthClients: oauthClients(config.oauthClients),
    oauthClientMetadataPrivateNetworks: bool(config.oauthClientMetadataPrivateNetworks, false),
    trustProxy: bool(config.trustProxy, false),
    rateLimit: {
      readsPerMinute: positive('NUXT_RATE_LIMIT_READS_PER_MINUTE', config.rateLimit?.readsPerMinute, 300, 'calls per minute'),
      writesPerMinute: positive('NUXT_RATE_LIMIT_WRITES_PER_MINUTE', config.rateLimit?.writesPerMinute, 30, 'calls per minute'),
      authPerMinute: positive('NUXT_RATE_LIMIT_AUTH_PER_MINUTE', config.rateLimit?.authPerMinute, 30, 'calls per minute'),
    },
    dns: {
      resolver: resolverAddress(String(config.dns?.resolver ?? '').trim()),
      timeoutMs: positive('NUXT_DNS_TIMEOUT_MS', config.dns?.timeoutMs, 3000),
    },
    metrics: {
      url: absoluteUrl('NUXT_METRICS_URL', config.metrics?.url),
      timeoutMs: positive('NUXT_METRICS_TIMEOUT_MS', config.metrics?.timeoutMs, 10_000),
    },
    previews: { reapSeconds: positive('NUXT_PREVIEWS_REAP_SECONDS', config.previews?.reapSeconds, 60, 'seconds') },
    domains: { checkSeconds: positive('NUXT_DOMAINS_CHECK_SECONDS', config.domains?.checkSeconds, 60, 'seconds') },
    openclaw: { image: openclawImage(String(config.openclaw?.image || 'ghcr.io/openclaw/openclaw:2026.2.1')) },
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
  if (settings.github.clientId && !settings.github.clientSecret)
    throw new SettingsError('NUXT_OAUTH_GITHUB_CLIENT_SECRET is required when NUXT_OAUTH_GITHUB_CLIENT_ID is set')
  if (settings.oidc.issuer && !settings.oidc.clientId)
    throw new SettingsError('NUXT_OAUTH_OIDC_CLIENT_ID is required when NUXT_OAUTH_OIDC_ISSUER is set')
  for (const [name, value] of [['NUXT_GITHUB_URL', settings.github.url], ['NUXT_GITHUB_API_URL', settings.github.apiUrl], ['NUXT_OAUTH_OIDC_ISSUER', settings.oidc.issuer]]) {
    if (value && !URL.canParse(value!)) throw new SettingsError(`${name} must be an absolute URL, got "${value}"`)
  }
  return settings
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
    pollSeconds: positive('NUXT_AGENT_POLL_SECONDS', a.pollSeconds, 10, 'seconds'),
    verifySeconds: positive('NUXT_AGENT_VERIFY_SECONDS', a.verifySeconds, 900, 'seconds'),
    skills,
    // The GitOps token usually is a GitHub token already; a separate one may have PR rights only.
    github: { repo, token: String(a.githubToken || gitopsToken || '') },
  }
}

/** NUXT_OAUTH_GITHUB_ORGS: organisation logins (letters, digits, single hyphens, up to 39), lower case. */
function githubOrgs(raw: unknown): string[] {
  const orgs = list(raw).map(o => o.toLowerCase())
  const bad = orgs.find(o => !/^[a-z0-9](?:-?[a-z0-9]){0,38}$/.test(o))
  if (bad !== undefined) throw new SettingsError(`NUXT_OAUTH_GITHUB_ORGS must be GitHub organisation names separated by commas (letters, digits and single hyphens), got "${bad}"`)
  return [...new Set(orgs)]
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

const IMAGE = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function engineSettings(c: Record<string, any>): Settings['engine'] {
  const kind = String(c.engine || 'local')
  if (kind !== 'local' && kind !== 'argo') throw new SettingsError(`NUXT_ENGINE must be "local" or "argo", got "${kind}"`)
  const name = (setting: string, value: unknown, required: boolean) => {
    const v = String(value ?? '').trim()
    if (required && !v) throw new SettingsError(`${setting} is required with NUXT_ENGINE=argo`)
    if (v && !K8S_NAME.test(v)) throw new SettingsError(`${setting} must be a Kubernetes object name (lowercase letters, digits, "-"), got "${v}"`)
    return v
  }
  const image = (setting: string, value: unknown, required: boolean) => {
    const v = String(value ?? '').trim()
    if (required && !v) throw new SettingsError(`${setting} is required with NUXT_ENGINE=argo: the MCTL image of this version, e.g. "ghcr.io/mctl/mctl:0.1.0"`)
    if (v && !IMAGE.test(v)) throw new SettingsError(`${setting} must be a full image reference with a tag or digest, got "${v}"`)
    return v
  }
  const argo = kind === 'argo'
  return {
    kind,
    concurrency: positive('NUXT_ENGINE_CONCURRENCY', c.engineConcurrency, 64, 'operations'),
    argo: {
      namespace: name('NUXT_ENGINE_NAMESPACE', c.engineNamespace, argo),
      image: image('NUXT_ENGINE_IMAGE', c.engineImage, argo),
      serviceAccount: name('NUXT_ENGINE_SERVICE_ACCOUNT', c.engineServiceAccount, false),
      dataClaim: name('NUXT_ENGINE_DATA_CLAIM', c.engineDataClaim, argo),
      envConfigMap: name('NUXT_ENGINE_ENV_CONFIG_MAP', c.engineEnvConfigMap, false),
      envSecret: name('NUXT_ENGINE_ENV_SECRET', c.engineEnvSecret, false),
      kanikoImage: image('NUXT_ENGINE_KANIKO_IMAGE', c.engineKanikoImage || 'gcr.io/kaniko-project/executor:v1.23.2', true),
      registrySecret: name('NUXT_ENGINE_REGISTRY_SECRET', c.engineRegistrySecret, false),
      gitSecret: name('NUXT_ENGINE_GIT_SECRET', c.engineGitSecret, false),
      pollSeconds: positive('NUXT_ENGINE_POLL_SECONDS', c.enginePollSeconds, 2, 'seconds'),
    },
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
