import { z } from 'zod'

/**
 * Every setting once: where it sits in Nuxt's runtime config (which gives its NUXT_* name, as
 * Nitro derives it), its type and rule (a zod schema), its default and what it means.
 * nuxt.config.ts takes its runtime config from here, `loadSettings` parses with it, and the
 * README's settings table is generated from it (`npm run docs:generate`).
 */
export interface SettingDef<S extends z.ZodType = z.ZodType> {
  setting: true
  schema: S
  /** The runtime-config default; an unset or empty value means this. */
  default: string | number | boolean
  /** The default as the README shows it, when the raw one would mislead. */
  shown?: string
  doc: string
  /** Never echoed in an error message (nor anywhere else). */
  secret?: boolean
}
export interface SettingsTree { [key: string]: SettingDef | SettingsTree }

const def = <S extends z.ZodType>(schema: S, dflt: SettingDef['default'], doc: string, extra: Pick<SettingDef, 'shown' | 'secret'> = {}): SettingDef<S> =>
  ({ setting: true, schema, default: dflt, doc, ...extra })

// Nitro parses environment values like JSON (destr): "8" arrives as 8, "true" as true.
const text = z.coerce.string()
const secret = (doc: string, shown?: string) => def(text, '', doc, { secret: true, shown })
const plain = (dflt: string, doc: string, shown?: string) => def(text, dflt, doc, { shown })
const list = text.transform(v => v.split(',').map(s => s.trim()).filter(Boolean))
const flag = (dflt: boolean, doc: string, shown?: string) =>
  def(z.union([z.boolean(), z.stringbool({ error: 'must be true or false' })]), dflt, doc, { shown })
const whole = (unit: string) => {
  const rule = { error: `must be a positive whole number of ${unit}` }
  return z.coerce.number(rule).int(rule).positive(rule)
}
const ms = (dflt: number, doc: string) => def(whole('milliseconds'), dflt, doc)
const seconds = (dflt: number, doc: string, shown?: string) => def(whole('seconds'), dflt, doc, { shown })
/** An absolute http(s) URL without trailing slashes, or '' for none. */
const httpUrl = text.transform(v => v.trim().replace(/\/+$/, '')).refine(
  v => !v || ['http:', 'https:'].includes(URL.parse(v)?.protocol ?? ''), { error: 'must be an absolute http(s) URL' })
const absoluteUrl = text.transform(v => v.replace(/\/+$/, '')).refine(v => !v || URL.canParse(v), { error: 'must be an absolute URL' })
const k8sName = text.transform(v => v.trim()).refine(v => !v || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v),
  { error: 'must be a Kubernetes object name (lowercase letters, digits, "-")' })
const IMAGE = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/
const image = text.transform(v => v.trim()).refine(v => !v || IMAGE.test(v), { error: 'must be a full image reference with a tag or digest' })
const GITHUB_ORG = /^[a-z0-9](?:-?[a-z0-9]){0,38}$/
const githubOrgs = list.transform(orgs => [...new Set(orgs.map(o => o.toLowerCase()))]).refine(orgs => orgs.every(o => GITHUB_ORG.test(o)), {
  error: iss => `must be GitHub organisation names separated by commas (letters, digits and single hyphens), got "${(iss.input as string[]).find(o => !GITHUB_ORG.test(o))}"`,
})

const OAuthClientConfig = z.object({
  client_id: z.string().min(1),
  client_name: z.string().optional(),
  client_secret: z.string().min(32).optional(),
  redirect_uris: z.array(z.url()).min(1),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_basic', 'client_secret_post']).optional(),
  application_type: z.enum(['web', 'native']).optional(),
}).strict()
export type OAuthClientConfig = z.infer<typeof OAuthClientConfig>

const oauthClients = z.union([z.string(), z.array(z.unknown())]).transform((v, ctx) => {
  if (Array.isArray(v) || !v) return v || []
  try { return JSON.parse(v) as unknown }
  catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of client metadata objects' })
    return z.NEVER
  }
}).pipe(z.array(OAuthClientConfig, { error: 'must be a JSON array of client metadata objects' }))

export const SETTINGS = {
  dataDir: plain('./data', 'SQLite database, local GitOps repository, generated keys, and `index.json` (the read index as of its last commit, so a restart parses only the spec files changed since)'),
  bootstrapAdminToken: def(text.refine(t => !t || t.length >= 24, {
    error: iss => `must be at least 24 characters long (it has ${String(iss.input).length}); use e.g. \`openssl rand -hex 32\``,
  }), '', 'when set (≥ 24 characters), a personal access token with exactly this value for the admin user `admin` is ensured at start; start-up fails with a clear message if it is shorter. A changed or removed value deletes the previous token at start', { secret: true }),
  adminUsers: def(list, '', 'comma-separated logins that are platform admins'),
  allowedOrigins: def(list, '', 'extra browser origins allowed on `/mcp` (comma-separated; the base URL\'s origin always is)'),
  baseDomain: plain('apps.example.com', 'base domain written into `mctl.yaml` when the repository is created (service hosts are `<tenant>-<service>.<baseDomain>`); afterwards `mctl.yaml` is the source of truth'),
  alertmanagerToken: secret('shared bearer secret of the Alertmanager webhook `POST /api/v1/alerts/alertmanager`; intake answers 503 while unset'),
  metricsToken: secret('when set, `/metrics` (Prometheus) requires `Authorization: Bearer <token>`; otherwise it is open (keep it cluster-internal)'),
  githubAppId: plain('', 'the MCTL GitHub App\'s id, used to register tenants\' repositories; its Setup URL is `<base URL>/api/v1/repos/callback`. Without the App the repository tools answer 503 naming these settings'),
  githubAppPrivateKey: secret('the GitHub App\'s PEM private key (`\\n` escapes allowed)'),
  githubAppSlug: plain('', 'the GitHub App\'s URL slug'),
  githubAppWebhookSecret: secret('the GitHub App\'s webhook secret: GitHub signs `pull_request` events sent to `<base URL>/api/v1/github/webhook` with it (`X-Hub-Signature-256`), which open, update and delete previews of pull requests; the webhook answers 503 while unset'),
  // Browser sessions (nuxt-auth-utils reads `session` itself).
  session: {
    password: secret('key of the sealed browser-session cookie (≥ 32 characters); set it to share sessions between replicas', 'generated into `$NUXT_DATA_DIR/session.key`'),
    maxAge: seconds(60 * 60 * 24 * 7, 'lifetime of a browser session in seconds', '`604800` (7 days)'),
    cookie: {
      sameSite: def(z.enum(['lax', 'strict', 'none'], { error: 'must be "lax", "strict" or "none"' }), 'lax', '`SameSite` of the session cookie'),
      secure: flag(true, '`Secure` flag of the session cookie', '`true` exactly when the base URL is https'),
    },
  },
  githubUrl: def(absoluteUrl, 'https://github.com', 'GitHub (or GitHub Enterprise Server) web endpoint'),
  githubApiUrl: def(absoluteUrl, 'https://api.github.com', 'GitHub (or GitHub Enterprise Server) API endpoint'),
  oauth: {
    github: {
      clientId: plain('', 'GitHub OAuth App for "Sign in with GitHub" (callback `<base URL>/auth/github`); set it with the secret'),
      clientSecret: secret('the GitHub OAuth App\'s client secret'),
      teams: flag(false, 'also read the user\'s GitHub teams (`org/team`, scope `read:org`) as groups, e.g. for `adminGroups`'),
      orgs: def(githubOrgs, '', 'comma-separated GitHub organisations: when set, GitHub sign-in and GitHub bearer tokens are accepted only for their members (scope `read:org` is then requested); others are refused with a message naming them'),
    },
    oidc: {
      issuer: def(absoluteUrl, '', 'an OpenID Connect provider (Dex, Keycloak, Okta…) for browser sign-in (callback `<base URL>/auth/oidc`)'),
      clientId: plain('', 'its client id (required with an issuer)'),
      clientSecret: secret('its client secret'),
      name: plain('Single sign-on', 'label of its sign-in button'),
      scope: def(text.transform(v => v.split(/[\s,]+/).filter(Boolean)), 'openid profile email groups', 'scopes requested from it'),
      groupsClaim: plain('groups', 'ID-token claim used as groups'),
      usernameClaim: plain('preferred_username', 'ID-token claim used as login'),
    },
  },
  oauthClients: def(oauthClients, '', 'JSON array of pre-registered OAuth clients of the MCTL authorization server (`client_id`, `redirect_uris`, …); others register dynamically or by client-metadata URL', { secret: true }),
  oauthClientMetadataPrivateNetworks: flag(false, 'allow client-metadata documents on private network addresses (off: no SSRF into the cluster network)'),
  auth: {
    acceptGithubTokens: flag(true, 'accept GitHub tokens (`gho_`, `ghp_`, `github_pat_`…) as bearer tokens, checked against the GitHub API and cached briefly'),
  },
  trustProxy: flag(false, 'trust `X-Forwarded-For` / `-Proto` from the ingress in front of MCTL (client IPs for rate limits and audit)'),
  rateLimit: {
    readsPerMinute: def(whole('calls per minute'), 300, 'read tool calls per user and minute; beyond it the answer is 429 with `Retry-After`'),
    writesPerMinute: def(whole('calls per minute'), 30, 'write tool calls per user and minute'),
    authPerMinute: def(whole('calls per minute'), 30, 'sign-in / token attempts and failed bearer-token checks per client IP and minute (no token is then sent to GitHub or the OIDC issuer)'),
  },
  gitops: {
    remoteUrl: plain('', 'remote GitOps repository (HTTPS or SSH URL, or a path); without it the repository lives in `$NUXT_DATA_DIR/gitops`'),
    branch: plain('main', 'branch MCTL commits to'),
    token: secret('HTTPS token for the remote (sent as an auth header, never stored in the repository config)'),
    committerName: plain('MCTL', 'committer name of every commit (the author is the requesting user)'),
    committerEmail: plain('mctl@localhost', 'committer email of every commit'),
    pollSeconds: seconds(2, 'how often the local branch is checked for commits made elsewhere'),
    fetchSeconds: seconds(30, 'how often a remote is fetched (it is also fetched before every write)'),
  },
  engine: def(z.enum(['local', 'argo'], { error: 'must be "local" or "argo"' }), 'local', 'operation engine: `local` runs the steps in this process; `argo` submits each operation as an Argo `Workflow` whose `run` pod runs `node .output/server/operation.mjs <id>` from the MCTL image on MCTL\'s data volume (needs a cluster: `KUBECONFIG` or in-cluster)'),
  engineConcurrency: def(whole('operations'), 64, 'operations in flight at once (run here, or Workflows followed); their commits are serialized, and those that queue up meanwhile are committed together (one commit each)'),
  engineNamespace: def(k8sName, '', 'namespace of the Workflows: MCTL\'s own, as the runner pods mount its data claim', { shown: '— (required with `argo`)' }),
  engineImage: def(image, '', 'the MCTL image of this version (`registry/path:tag`) the runner pods run', { shown: '— (required with `argo`)' }),
  engineServiceAccount: def(k8sName, '', 'service account of the Workflow pods', { shown: 'the namespace\'s default' }),
  engineDataClaim: def(k8sName, '', 'PersistentVolumeClaim of MCTL\'s data directory, mounted at `/data` in the runner pods (scheduled next to the MCTL pod)', { shown: '— (required with `argo`)' }),
  engineEnvConfigMap: def(k8sName, '', 'ConfigMap holding MCTL\'s `NUXT_*` settings, given to the runner pods as their environment (never copied into the Workflow)'),
  engineEnvSecret: def(k8sName, '', 'Secret holding MCTL\'s secret `NUXT_*` settings, given to the runner pods as their environment'),
  engineKanikoImage: def(image, 'gcr.io/kaniko-project/executor:v1.23.2', 'builder of `dockerfile_repo` + `git_tag` deploys (a `build-image` node before `run`, pushing `<registry>/<owner>/<repo>:<git_tag>`); with the local engine that image must come from the repository\'s CI'),
  engineRegistrySecret: def(k8sName, '', 'docker-registry Secret (`.dockerconfigjson`) kaniko pushes with'),
  engineGitSecret: def(k8sName, '', 'Secret with `username` and `password` (e.g. `x-access-token` and a GitHub token) kaniko clones private `dockerfile_repo` repositories with; without it, public repositories only'),
  enginePollSeconds: seconds(2, 'how often a running operation\'s Workflow is read back (phase, nodes)'),
  cluster: {
    timeoutMs: ms(5000, 'timeout of each Kubernetes API request (an unreachable cluster gives a note, never a hang)'),
    argocdNamespace: plain('argocd', 'namespace of the Argo CD `Application` objects (`<tenant>-<service>`)'),
  },
  loki: {
    url: def(httpUrl, '', 'Loki base URL for service logs (`query_range`); without it logs come from the Kubernetes API'),
    orgId: plain('', '`X-Scope-OrgID` sent to a multi-tenant Loki'),
    timeoutMs: ms(5000, 'Loki query timeout'),
  },
  vault: {
    addr: def(httpUrl, '', 'Vault KV v2 as the secret store (set it with the token); without them secrets go to the embedded store (AES-256-GCM in SQLite, key in `$NUXT_DATA_DIR/secret.key`)'),
    token: secret('the Vault token'),
    mount: def(text.transform(v => v.replace(/^\/+|\/+$/g, '')), 'secret', 'KV v2 mount path'),
    timeoutMs: ms(5000, 'Vault request timeout'),
  },
  dns: {
    resolver: def(text.transform(v => v.trim()).refine(v => !v || /^(\[[0-9a-f:.]+\]|[\w.-]+|[0-9a-f:]+)(:\d{1,5})?$/i.test(v),
      { error: 'must be an address with an optional port (e.g. "10.0.0.10" or "127.0.0.1:5353")' }), '', 'DNS resolver (`host[:port]`, e.g. `10.0.0.10` or `127.0.0.1:5353`) that custom-domain verification asks for the CNAME / `_mctl-challenge` TXT records', { shown: 'the system\'s' }),
    timeoutMs: ms(3000, 'timeout of one DNS query (a silent resolver is reported, never a hang)'),
  },
  metrics: {
    url: def(httpUrl, '', 'Prometheus-compatible query API (Prometheus, VictoriaMetrics, Thanos) used by the sizing recommendation (`/api/v1/query_range`); without it the recommendation says so and proposes the safe `startup` profile'),
    timeoutMs: ms(10_000, 'metrics query timeout'),
  },
  previews: {
    reapSeconds: seconds(60, 'how often the background reaper looks for expired previews (their `expiresAt` in `preview.yaml`) and deletes them through a `preview-delete` operation'),
  },
  domains: {
    checkSeconds: seconds(60, 'how often the background domain checker looks at DNS for custom domains that are not active yet and activates the ones DNS proves (an `add-custom-domain` operation requested by whoever added the domain); `mctl_verify_domain` wakes it at once'),
  },
  openclaw: {
    image: def(text.refine(v => /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:[\w][\w.-]{0,127}$/.test(v),
      { error: 'must be a full image reference with a tag (e.g. "ghcr.io/openclaw/openclaw:2026.2.1")' }), 'ghcr.io/openclaw/openclaw:2026.2.1', 'image (with tag) that `mctl_resume_openclaw_deploy` onboards with the OpenClaw template'),
  },
  // The self-healing agent (server/agent): verification window, remote skill, pull requests.
  agent: {
    pollSeconds: seconds(10, 'how often the agent looks at waiting incidents (verification deadlines, retries); alerts, decisions and finished operations wake it at once'),
    verifySeconds: seconds(900, 'verification window of the incident agent: after an approved fix is merged, an alert still firing this long later reopens the incident and escalates it (Telegram)'),
    skillsUrl: def(httpUrl, '', 'remote skill: incidents the YAML and built-in skills cannot fix are posted there (`X-Mctl-Timestamp`, `X-Mctl-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>")`); the answer may propose a change (set it with the secret)'),
    skillsSecret: secret('the HMAC-SHA256 key remote-skill requests are signed with'),
    skillsTimeoutMs: ms(10_000, 'remote skill request timeout'),
    githubRepo: def(text.transform(v => v.trim()).refine(v => !v || /^[\w.-]+\/[\w.-]+$/.test(v), { error: 'must be "owner/name"' }), '',
      '`owner/name` of the GitOps repository on GitHub for fix pull requests; derived from `NUXT_GITOPS_REMOTE_URL` when it is on `NUXT_GITHUB_URL`\'s host (set it for mirrors)', { shown: 'from the remote URL' }),
    githubToken: secret('token that opens, comments on and closes fix pull requests (through `NUXT_GITHUB_API_URL`); without a repository and token fixes are branches only', '`NUXT_GITOPS_TOKEN`'),
  },
  anthropic: {
    apiKey: secret('enables the optional LLM analysis of incidents (Anthropic Messages API); the prompt holds the alert and evidence with secret-looking values masked; without it the built-in rules analyse alone'),
    model: plain('claude-sonnet-4-5', 'model of the LLM analysis'),
    baseUrl: def(httpUrl, 'https://api.anthropic.com', 'Anthropic API endpoint (a gateway or proxy)'),
    timeoutMs: ms(30_000, 'LLM request timeout (a timeout leaves a note; the rules\' analysis stands)'),
  },
  telegram: {
    botToken: secret('the bot that posts actionable incidents and fix proposals with Approve/Reject buttons to each tenant\'s chat (`telegram.chatId` in `tenant.yaml`)'),
    apiUrl: def(httpUrl, 'https://api.telegram.org', 'Telegram Bot API endpoint (a local Bot API server)'),
    webhookSecret: secret('the `secret_token` given to `setWebhook` for `<base URL>/api/v1/telegram/webhook`; Telegram sends it in `X-Telegram-Bot-Api-Secret-Token`, and button presses are refused without it'),
    timeoutMs: ms(10_000, 'Telegram request timeout'),
  },
  public: {
    baseUrl: plain('', 'the public URL (OAuth metadata, links, allowed `Origin`); set it when people reach MCTL at another address', 'where the server listens (`http://localhost:$PORT`)'),
  },
} satisfies SettingsTree

/** Variables read outside the runtime config, listed with the settings. */
export const PROCESS_VARIABLES = [
  { name: '`PORT` / `HOST`', shown: '`3000` / all interfaces', doc: 'where the server listens' },
  { name: '`KUBECONFIG`', shown: '—', doc: 'kubeconfig of the cluster MCTL reads live state from (Argo CD Applications, pods, logs, quotas); without it the in-cluster service account, and without that no cluster: live fields say `Unknown` with "no cluster connected" (`~/.kube/config` is deliberately not used)' },
]

export class SettingsError extends Error {}

type Parsed<T> = { [K in keyof T]: T[K] extends SettingDef<infer S> ? z.output<S> : Parsed<T[K]> }
export type RawSettings = Parsed<typeof SETTINGS>

const isSetting = (node: SettingDef | SettingsTree): node is SettingDef => (node as SettingDef).setting === true
const envName = (prefix: string, key: string) => `${prefix}${key.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`

/** Every setting with its NUXT_* name, in the order of the tree. */
export function settingList(tree: SettingsTree = SETTINGS, prefix = 'NUXT_'): Array<[string, SettingDef]> {
  return Object.entries(tree).flatMap(([key, node]) => isSetting(node)
    ? [[envName(prefix, key), node] as [string, SettingDef]]
    : settingList(node, `${envName(prefix, key)}_`))
}

/** The runtime config nuxt.config.ts declares: every setting at its default. */
export function runtimeDefaults(tree: SettingsTree = SETTINGS): Record<string, any> {
  return Object.fromEntries(Object.entries(tree).map(([key, node]) => [key, isSetting(node) ? node.default : runtimeDefaults(node)]))
}

/**
 * Runtime config (as Nitro filled it from NUXT_* variables) parsed by the schema: unset and
 * empty values take the default; a value that breaks its rule fails start-up with a message
 * that names the variable, the rule and (unless secret) the value.
 */
export function parseSettings(config: Record<string, any>, tree: SettingsTree = SETTINGS, prefix = 'NUXT_'): RawSettings {
  return Object.fromEntries(Object.entries(tree).map(([key, node]) => {
    const name = envName(prefix, key)
    const raw = config?.[key]
    if (!isSetting(node)) return [key, parseSettings(raw ?? {}, node, `${name}_`)]
    const value = raw === undefined || raw === null || raw === '' ? node.default : raw
    const parsed = node.schema.safeParse(value)
    if (parsed.success) return [key, parsed.data]
    const [first] = parsed.error.issues
    // A rule that names the offending part says what it got itself.
    const got = node.secret || first!.message.includes(', got "') ? '' : `, got "${typeof value === 'object' ? JSON.stringify(value) : value}"`
    throw new SettingsError(first!.path.length
      ? `${name} is invalid: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`
      : `${name} ${first!.message}${got}`)
  })) as RawSettings
}

/** The README's settings table. */
export function settingsTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|')
  const shown = (d: SettingDef) => d.shown ?? (d.default === '' ? '—' : `\`${d.default}\``)
  return [
    '| setting | default | meaning |',
    '|---|---|---|',
    ...PROCESS_VARIABLES.map(v => `| ${v.name} | ${v.shown} | ${cell(v.doc)} |`),
    ...settingList().map(([name, d]) => `| \`${name}\` | ${cell(shown(d))} | ${cell(d.doc)} |`),
    '',
  ].join('\n')
}
