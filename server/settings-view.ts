import type { Settings } from './settings'

export interface SettingRow { name: string, value: string }
export interface SettingsSection { title: string, items: SettingRow[] }

/** A URL as it may be shown: any user:password@ it carries is dropped. */
function shownUrl(url: string): string {
  if (!url) return '—'
  const parsed = URL.parse(url)
  if (!parsed) return url.replace(/\/\/[^/@]*@/, '//')
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/$/, '')
}

const text = (v: string | number | boolean | string[]) => Array.isArray(v) ? (v.join(', ') || '—') : v === '' ? '—' : String(v)
/** A secret setting: whether it is set, never its value. */
const secret = (v: string) => v ? 'set' : 'not set'

/**
 * The platform settings an admin may see in the console, by an allow-list: every value that is
 * a token, password or key appears only as "set"/"not set", and URLs lose embedded credentials.
 */
export function settingsView(s: Settings): SettingsSection[] {
  return [
    { title: 'Platform', items: [
      { name: 'NUXT_PUBLIC_BASE_URL', value: s.baseUrl },
      { name: 'NUXT_BASE_DOMAIN', value: s.baseDomain },
      { name: 'NUXT_DATA_DIR', value: s.dataDir },
      { name: 'NUXT_ADMIN_USERS', value: text(s.adminUsers) },
      { name: 'NUXT_ALLOWED_ORIGINS', value: text(s.allowedOrigins) },
      { name: 'NUXT_TRUST_PROXY', value: text(s.trustProxy) },
      { name: 'NUXT_ENGINE_CONCURRENCY', value: text(s.engine.concurrency) },
      { name: 'NUXT_BOOTSTRAP_ADMIN_TOKEN', value: secret(s.bootstrapAdminToken) },
      { name: 'NUXT_SESSION_PASSWORD', value: secret(s.sessionPassword) },
      { name: 'NUXT_ALERTMANAGER_TOKEN', value: secret(s.alertmanagerToken) },
      { name: 'NUXT_METRICS_TOKEN', value: secret(s.metricsToken) },
    ] },
    { title: 'Rate limits (per identity, per minute)', items: [
      { name: 'NUXT_RATE_LIMIT_READS_PER_MINUTE', value: text(s.rateLimit.readsPerMinute) },
      { name: 'NUXT_RATE_LIMIT_WRITES_PER_MINUTE', value: text(s.rateLimit.writesPerMinute) },
      { name: 'NUXT_RATE_LIMIT_AUTH_PER_MINUTE', value: text(s.rateLimit.authPerMinute) },
    ] },
    { title: 'GitOps repository', items: [
      { name: 'NUXT_GITOPS_REMOTE_URL', value: s.gitops.remoteUrl ? shownUrl(s.gitops.remoteUrl) : `— (local repository ${s.gitops.dir})` },
      { name: 'NUXT_GITOPS_BRANCH', value: s.gitops.branch },
      { name: 'NUXT_GITOPS_COMMITTER_NAME', value: s.gitops.committer.name },
      { name: 'NUXT_GITOPS_COMMITTER_EMAIL', value: s.gitops.committer.email },
      { name: 'NUXT_GITOPS_POLL_SECONDS', value: text(s.gitops.pollSeconds) },
      { name: 'NUXT_GITOPS_FETCH_SECONDS', value: text(s.gitops.fetchSeconds) },
      { name: 'NUXT_GITOPS_TOKEN', value: secret(s.gitops.token) },
    ] },
    { title: 'Sign-in', items: [
      { name: 'NUXT_OAUTH_GITHUB_CLIENT_ID', value: text(s.github.clientId) },
      { name: 'NUXT_OAUTH_GITHUB_CLIENT_SECRET', value: secret(s.github.clientSecret) },
      { name: 'NUXT_OAUTH_GITHUB_TEAMS', value: text(s.github.teams) },
      { name: 'NUXT_OAUTH_GITHUB_ORGS', value: s.github.orgs.length ? s.github.orgs.join(', ') : '— (any GitHub account)' },
      { name: 'NUXT_AUTH_ACCEPT_GITHUB_TOKENS', value: text(s.github.acceptTokens) },
      { name: 'NUXT_GITHUB_URL', value: shownUrl(s.github.url) },
      { name: 'NUXT_GITHUB_API_URL', value: shownUrl(s.github.apiUrl) },
      { name: 'NUXT_OAUTH_OIDC_ISSUER', value: shownUrl(s.oidc.issuer) },
      { name: 'NUXT_OAUTH_OIDC_CLIENT_ID', value: text(s.oidc.clientId) },
      { name: 'NUXT_OAUTH_OIDC_CLIENT_SECRET', value: secret(s.oidc.clientSecret) },
      { name: 'NUXT_OAUTH_OIDC_NAME', value: s.oidc.name },
      { name: 'NUXT_OAUTH_OIDC_SCOPE', value: s.oidc.scope.join(' ') },
      { name: 'NUXT_OAUTH_OIDC_GROUPS_CLAIM', value: s.oidc.groupsClaim },
      { name: 'NUXT_OAUTH_OIDC_USERNAME_CLAIM', value: s.oidc.usernameClaim },
      { name: 'NUXT_OAUTH_CLIENT_METADATA_PRIVATE_NETWORKS', value: text(s.oauthClientMetadataPrivateNetworks) },
    ] },
    { title: 'Cluster and observability', items: [
      { name: 'NUXT_CLUSTER_TIMEOUT_MS', value: text(s.cluster.timeoutMs) },
      { name: 'NUXT_CLUSTER_ARGOCD_NAMESPACE', value: s.cluster.argocdNamespace },
      { name: 'NUXT_LOKI_URL', value: shownUrl(s.loki.url) },
      { name: 'NUXT_LOKI_ORG_ID', value: text(s.loki.orgId) },
      { name: 'NUXT_METRICS_URL', value: shownUrl(s.metrics.url) },
      { name: 'NUXT_DNS_RESOLVER', value: s.dns.resolver || 'the system resolver' },
    ] },
    { title: 'Secret store', items: [
      { name: 'NUXT_VAULT_ADDR', value: s.vault.addr ? shownUrl(s.vault.addr) : '— (embedded encrypted store)' },
      { name: 'NUXT_VAULT_MOUNT', value: s.vault.mount },
      { name: 'NUXT_VAULT_TOKEN', value: secret(s.vault.token) },
    ] },
    { title: 'GitHub App', items: [
      { name: 'NUXT_GITHUB_APP_ID', value: text(s.github.appId) },
      { name: 'NUXT_GITHUB_APP_SLUG', value: text(s.github.appSlug) },
      { name: 'NUXT_GITHUB_APP_PRIVATE_KEY', value: secret(s.github.appPrivateKey) },
      { name: 'NUXT_GITHUB_APP_WEBHOOK_SECRET', value: secret(s.github.appWebhookSecret) },
    ] },
    { title: 'Incident agent', items: [
      { name: 'NUXT_AGENT_POLL_SECONDS', value: text(s.agent.pollSeconds) },
      { name: 'NUXT_AGENT_VERIFY_SECONDS', value: text(s.agent.verifySeconds) },
      { name: 'NUXT_AGENT_SKILLS_URL', value: shownUrl(s.agent.skills.url) },
      { name: 'NUXT_AGENT_SKILLS_SECRET', value: secret(s.agent.skills.secret) },
      { name: 'NUXT_AGENT_GITHUB_REPO', value: text(s.agent.github.repo) },
      { name: 'NUXT_AGENT_GITHUB_TOKEN', value: secret(s.agent.github.token) },
      { name: 'NUXT_ANTHROPIC_API_KEY', value: secret(s.anthropic.apiKey) },
      { name: 'NUXT_ANTHROPIC_MODEL', value: s.anthropic.model },
      { name: 'NUXT_ANTHROPIC_BASE_URL', value: shownUrl(s.anthropic.baseUrl) },
      { name: 'NUXT_TELEGRAM_BOT_TOKEN', value: secret(s.telegram.botToken) },
      { name: 'NUXT_TELEGRAM_WEBHOOK_SECRET', value: secret(s.telegram.webhookSecret) },
      { name: 'NUXT_TELEGRAM_API_URL', value: shownUrl(s.telegram.apiUrl) },
    ] },
    { title: 'Previews and templates', items: [
      { name: 'NUXT_PREVIEWS_REAP_SECONDS', value: text(s.previews.reapSeconds) },
      { name: 'NUXT_DOMAINS_CHECK_SECONDS', value: text(s.domains.checkSeconds) },
      { name: 'NUXT_OPENCLAW_IMAGE', value: s.openclaw.image },
    ] },
  ]
}
