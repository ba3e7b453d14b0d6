import { createWorkflows } from './adapters/kubernetes'
import { createLogStore, type LogStore } from './adapters/loki'
import { TokenVerifier } from './auth/verify'
import { syncBootstrapAdmin } from './auth/tokens'
import { GithubIdentity } from './auth/github'
import { OAuthServer } from './auth/oauth'
import { OidcIssuer } from './auth/oidc'
import { RateLimiter } from './auth/rate-limit'
import { issueFirstAdminLink } from './auth/setup'
import { Directory } from './auth/users'
import type { MigrationReader } from './db'
import { createCore } from './core'
import { ArgoRunner } from './operations/argo'
import type { Engine } from './operations/engine'
import { Gate } from './operations/gate'
import { browserSignIn, type Settings } from './settings'
import type { StepServices } from './operations/types'
import { buildCatalog, type CatalogEntry } from './tools/catalog'
import type { AnyTool } from './tools/define'
import { operationsOf } from './tools/registry'
import { invokeTool } from './tools/invoke'
import { McpDispatcher } from './mcp/dispatcher'
import { RestRouter } from './rest/router'
import { buildOpenApi } from './rest/openapi'
import { eventsOpenApi } from './rest/events'
import { tenantNamesOpenApi } from './rest/tenant-names'
import type { Logger } from './utils/logger'
import { dataKey } from './utils/keys'
import { createMetrics, type Metrics } from './metrics'
import type { Operation } from './db/schema'
import { createDns, type Dns } from './adapters/dns'
import { createPrometheus, type Prometheus } from './adapters/prometheus'
import { PreviewReaper } from './domain/previews/reaper'
import { DomainChecker } from './domain/domains/checker'
import { createGitHubApp, createPullRequests, type GitHubApp, type PullRequests } from './adapters/github'
import { createTelegram, type Telegram } from './adapters/telegram'
import { createLanguageModel, type LanguageModel } from './adapters/anthropic'
import { operations as agentOperations } from './agent/apply'
import { Agent } from './agent/worker'
import { agentOpenApi } from './agent/http'
import { version } from '../package.json'

/** Everything a tool handler, step or route may use; built once at start-up. */
export interface Services extends StepServices {
  engine: Engine
  verifier: TokenVerifier
  /** Loki; null when not configured (pod logs come from the cluster). */
  logs: LogStore | null
  /** The MCTL GitHub App (repositories of tenants). */
  githubApp: GitHubApp
  /** Resolver for custom-domain verification. */
  dns: Dns
  /** Prometheus-compatible metrics API; null when not configured. */
  prometheus: Prometheus | null
  /** Deletes expired previews in the background. */
  reaper: PreviewReaper
  /** Activates custom domains DNS proves, in the background. */
  domainChecker: DomainChecker
  /** Pull requests for agent proposals; null unless the GitOps repository is on GitHub with a token. */
  pulls: PullRequests | null
  /** The Telegram bot; null without NUXT_TELEGRAM_BOT_TOKEN. */
  telegram: Telegram | null
  /** The optional LLM analysis; null without NUXT_ANTHROPIC_API_KEY. */
  llm: LanguageModel | null
  /** The self-healing agent's worker (server/agent). */
  agent: Agent
  metrics: Metrics
  /** Keys kept in the data directory (see utils/keys). */
  keys: { grants: Buffer }
  /** People, their groups, and the identity a request runs as. */
  directory: Directory
  /** The OAuth 2.1 authorization server for MCP clients. */
  oauth: OAuthServer
  github: GithubIdentity
  /** Set when an OIDC issuer is configured. */
  oidc?: OidcIssuer
  limits: RateLimiter
  /** Every write passes it: rate limit, access, audit (operations/gate.ts). */
  gate: Gate
  tools: AnyTool[]
  catalog: CatalogEntry[]
  mcp: McpDispatcher
  router: RestRouter
  /** The OpenAPI document, serialized once. */
  openapi: string
  close(): Promise<void>
}

export async function createServices(settings: Settings, tools: AnyTool[], readMigration: MigrationReader, logger: Logger): Promise<Services> {
  const remote = settings.engine.kind === 'argo' ? new ArgoRunner(createWorkflows(settings), settings, logger) : undefined
  const core = await createCore(settings, [...operationsOf(tools), ...agentOperations], readMigration, logger, remote)
  const { db, index, repo, store, engine, cluster, secrets } = core
  syncBootstrapAdmin(db, settings.bootstrapAdminToken)
  const metrics = createMetrics()
  engine.on('update', (op: Operation) => {
    if (op.status !== 'succeeded' && op.status !== 'failed' && op.status !== 'cancelled') return
    metrics.operations.inc({ operation: op.name, status: op.status })
    metrics.operationDuration.observe({ operation: op.name }, (Date.parse(op.finishedAt ?? '') - Date.parse(op.createdAt)) / 1000 || 0)
  })
  const logs = createLogStore(settings.loki)
  logger.info('mctl.adapters', { engine: settings.engine.kind, cluster: cluster?.server ?? 'none', logs: logs ? 'loki' : (cluster ? 'kubernetes' : 'none'), secrets: secrets.kind, dns: settings.dns.resolver || 'system', metrics: settings.metrics.url || 'none' })
  const pulls = createPullRequests(settings.agent.github, settings.github.apiUrl)
  const telegram = createTelegram(settings.telegram)
  const llm = createLanguageModel(settings.anthropic)
  const agent = new Agent(repo, settings.agent, secrets)
  logger.info('mctl.agent', { llm: llm?.model ?? 'none', telegram: !!telegram, pullRequests: settings.agent.github.repo && pulls ? settings.agent.github.repo : 'none', remoteSkill: settings.agent.skills.url ? new URL(settings.agent.skills.url).host : 'none', verifySeconds: settings.agent.verifySeconds })
  const directory = new Directory(db, index, settings.adminUsers)
  const oauth = await OAuthServer.create(settings, db, directory, settings.sessionPassword, logger)
  const github = new GithubIdentity(settings.github.apiUrl, settings.github.teams, settings.github.orgs)
  const oidc = settings.oidc.issuer ? new OidcIssuer(settings.oidc) : undefined
  const limits = new RateLimiter()
  const verifier = new TokenVerifier({
    db, baseUrl: settings.baseUrl, directory, oauth, oidc, github: settings.github.acceptTokens ? github : undefined, logger,
    limits, authPerMinute: settings.rateLimit.authPerMinute,
  })
  if (!directory.adminCanSignIn(browserSignIn(settings))) {
    // AUTH.md: the first admin comes from a one-time link printed at start-up — also next to
    // a bootstrap token, whose admin has no password for the browser.
    const url = issueFirstAdminLink(db, settings.baseUrl)
    logger.notice('setup.first_admin_link', `Open ${url} to create the first admin`, { url })
  }

  const gate = new Gate({ db, engine, limits, settings })
  const dns = createDns(settings.dns)
  const reaper = new PreviewReaper({ settings, logger, db, index, store, engine, metrics, gate })
  const domainChecker = new DomainChecker({ logger, db, engine, store, dns, index, gate })

  const services: Services = {
    ...core,
    verifier, logs,
    directory, oauth, github, oidc, limits, gate, tools,
    githubApp: createGitHubApp(settings.github),
    dns,
    prometheus: createPrometheus(settings.metrics),
    reaper,
    domainChecker,
    pulls,
    telegram,
    llm,
    agent,
    metrics,
    keys: { grants: dataKey(settings.dataDir, 'grants.key') },
    catalog: buildCatalog(tools, settings.engine.kind),
    mcp: new McpDispatcher(tools, (tool, args, caller) => invokeTool(tool, args, caller, services), version),
    router: new RestRouter(tools),
    openapi: JSON.stringify(buildOpenApi(tools, settings.baseUrl, version, { ...agentOpenApi(), ...eventsOpenApi(), ...tenantNamesOpenApi() })),
    async close() {
      services.reaper.stop()
      services.domainChecker.stop()
      oauth.close()
      await agent.stop()
      await core.close()
    },
  }
  agent.services = services
  const resumed = engine.recover()
  if (resumed) logger.info('operations.resumed', { count: resumed })
  agent.start()
  store.startBackgroundSync(settings.gitops.pollSeconds, settings.gitops.fetchSeconds, err => logger.warn('gitops.sync_failed', { error: String(err) }))
  reaper.start(settings.previews.reapSeconds)
  domainChecker.start(settings.domains.checkSeconds)
  return services
}
