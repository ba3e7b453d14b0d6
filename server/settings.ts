import { resolve } from 'node:path'
import { parseSettings, SettingsError, type OAuthClientConfig } from './settings-schema'

/**
 * Typed settings: the runtime config (NUXT_* environment variables) parsed by the schema in
 * settings-schema.ts, where each one's type, default and meaning are written once, and put
 * in the shape the modules use, with what follows from several of them.
 */
export type Settings = ReturnType<typeof loadSettings>
/** What an operation's Workflow needs to run the app image next to MCTL (see operations/argo). */
export type ArgoEngineSettings = Settings['engine']['argo']

export { SettingsError, type OAuthClientConfig }

/** Whether people can sign in to the browser through GitHub or an OIDC issuer (not only with a password). */
export const browserSignIn = (s: Settings) => Boolean(s.github.clientId || s.oidc.issuer)

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

export function loadSettings(config: Record<string, any>) {
  const c = parseSettings(config)
  const baseUrl = String(c.public.baseUrl || listenUrl()).replace(/\/+$/, '')
  if (!URL.canParse(baseUrl)) throw new SettingsError(`NUXT_PUBLIC_BASE_URL must be an absolute URL, got "${baseUrl}"`)
  // nuxt-auth-utils reads the password from the environment, where prepareSessionEnv may have put it.
  const sessionPassword = c.session.password || process.env.NUXT_SESSION_PASSWORD || ''
  if (sessionPassword.length < 32)
    throw new SettingsError('NUXT_SESSION_PASSWORD must be at least 32 characters long; leave it unset to have one generated into the data directory')
  const together = (a: [string, string], b: [string, string], why: string) => {
    if (!!a[1] !== !!b[1]) throw new SettingsError(`${a[0]} and ${b[0]} must be set together (${why})`)
  }
  // Half a Vault configuration would silently fall back to the embedded store: refuse it.
  together(['NUXT_VAULT_ADDR', c.vault.addr], ['NUXT_VAULT_TOKEN', c.vault.token], 'or neither, for the embedded secret store')
  // An unsigned webhook would let anyone who can reach the URL's host impersonate MCTL.
  if (c.agent.skillsUrl && !c.agent.skillsSecret) throw new SettingsError('NUXT_AGENT_SKILLS_URL needs NUXT_AGENT_SKILLS_SECRET (the HMAC-SHA256 key the requests are signed with)')
  if (c.oauth.github.clientId && !c.oauth.github.clientSecret)
    throw new SettingsError('NUXT_OAUTH_GITHUB_CLIENT_SECRET is required when NUXT_OAUTH_GITHUB_CLIENT_ID is set')
  if (c.oauth.oidc.issuer && !c.oauth.oidc.clientId)
    throw new SettingsError('NUXT_OAUTH_OIDC_CLIENT_ID is required when NUXT_OAUTH_OIDC_ISSUER is set')
  if (c.engine === 'argo') {
    const required = { NUXT_ENGINE_NAMESPACE: c.engineNamespace, NUXT_ENGINE_IMAGE: c.engineImage, NUXT_ENGINE_DATA_CLAIM: c.engineDataClaim }
    for (const [name, value] of Object.entries(required)) {
      if (!value) throw new SettingsError(`${name} is required with NUXT_ENGINE=argo${name === 'NUXT_ENGINE_IMAGE' ? ': the MCTL image of this version, e.g. "ghcr.io/mctl/mctl:0.1.0"' : ''}`)
    }
  }
  const dataDir = resolve(c.dataDir)
  return {
    dataDir,
    baseUrl,
    sessionPassword,
    sessionMaxAge: c.session.maxAge,
    bootstrapAdminToken: c.bootstrapAdminToken,
    adminUsers: c.adminUsers,
    allowedOrigins: [new URL(baseUrl).origin, ...c.allowedOrigins],
    baseDomain: c.baseDomain,
    alertmanagerToken: c.alertmanagerToken,
    metricsToken: c.metricsToken,
    gitops: {
      dir: resolve(dataDir, 'gitops'),
      remoteUrl: c.gitops.remoteUrl,
      branch: c.gitops.branch,
      token: c.gitops.token,
      committer: { name: c.gitops.committerName, email: c.gitops.committerEmail },
      pollSeconds: c.gitops.pollSeconds,
      fetchSeconds: c.gitops.fetchSeconds,
    },
    engine: {
      /** local: steps run in this process; argo: each operation is an Argo Workflow. */
      kind: c.engine,
      concurrency: c.engineConcurrency,
      argo: {
        namespace: c.engineNamespace,
        image: c.engineImage,
        serviceAccount: c.engineServiceAccount,
        dataClaim: c.engineDataClaim,
        envConfigMap: c.engineEnvConfigMap,
        envSecret: c.engineEnvSecret,
        kanikoImage: c.engineKanikoImage,
        registrySecret: c.engineRegistrySecret,
        gitSecret: c.engineGitSecret,
        pollSeconds: c.enginePollSeconds,
      },
    },
    cluster: c.cluster,
    loki: c.loki,
    vault: c.vault,
    github: {
      url: c.githubUrl,
      apiUrl: c.githubApiUrl,
      clientId: c.oauth.github.clientId,
      clientSecret: c.oauth.github.clientSecret,
      teams: c.oauth.github.teams,
      orgs: c.oauth.github.orgs,
      acceptTokens: c.auth.acceptGithubTokens,
      appId: c.githubAppId,
      appPrivateKey: c.githubAppPrivateKey,
      appSlug: c.githubAppSlug,
      appWebhookSecret: c.githubAppWebhookSecret,
    },
    oidc: c.oauth.oidc,
    oauthClients: c.oauthClients,
    oauthClientMetadataPrivateNetworks: c.oauthClientMetadataPrivateNetworks,
    trustProxy: c.trustProxy,
    rateLimit: c.rateLimit,
    dns: c.dns,
    metrics: c.metrics,
    previews: c.previews,
    domains: c.domains,
    openclaw: c.openclaw,
    agent: {
      pollSeconds: c.agent.pollSeconds,
      verifySeconds: c.agent.verifySeconds,
      skills: { url: c.agent.skillsUrl, secret: c.agent.skillsSecret, timeoutMs: c.agent.skillsTimeoutMs },
      // The GitOps token usually is a GitHub token already; a separate one may have PR rights only.
      github: { repo: c.agent.githubRepo || githubRepoOf(c.gitops.remoteUrl, c.githubUrl), token: c.agent.githubToken || c.gitops.token },
    },
    anthropic: c.anthropic,
    telegram: c.telegram,
  }
}

/** `owner/name` of a GitHub remote URL (https or ssh) on `webUrl`'s host, else ''. */
export function githubRepoOf(remoteUrl: string, webUrl: string): string {
  const host = (() => { try { return new URL(webUrl).host } catch { return 'github.com' } })()
  const m = new RegExp(`^(?:https://(?:[^@/]+@)?|ssh://git@|git@)${host.replace(/\./g, '\\.')}[:/]([\\w.-]+)/([\\w.-]+?)(?:\\.git)?/?$`).exec(remoteUrl)
  return m ? `${m[1]}/${m[2]}` : ''
}
