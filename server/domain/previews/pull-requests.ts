import { createHmac, timingSafeEqual } from 'node:crypto'
import { eq, lt, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { GitHubApp } from '../../adapters/github'
import { systemIdentity } from '../../auth/identity'
import type { Db } from '../../db'
import { githubDeliveries, type Operation, repositories } from '../../db/schema'
import { checkPolicy } from '../../gitops/policy'
import { previewHost, previewName } from '../../gitops/render/preview'
import type { RepoIndex } from '../../gitops/state'
import type { GitOpsStore } from '../../gitops/store'
import type { Engine, SubmitGuard } from '../../operations/engine'
import type { Gate } from '../../operations/gate'
import type { Settings } from '../../settings'
import { AppError, errorMessage, invalid, unauthorized } from '../../utils/errors'
import type { Logger } from '../../utils/logger'
import { deletionOf, pendingDeployOf, type PreviewDeleteParams, type PreviewParams, previewChangesFor } from './preview'

/** What the webhook uses: it acts through the gate, as the App on behalf of the pull request's author. */
export interface PullRequestDeps {
  settings: Settings
  logger: Logger
  db: Db
  index: RepoIndex
  store: GitOpsStore
  engine: Engine
  gate: Gate
  githubApp: GitHubApp
}
type Services = PullRequestDeps

/** Who pull request previews are requested by (on behalf of the pull request's author). */
export const GITHUB_APP_ID = 'github-app'
const CLIENT = 'github-webhook'
const HOUR = 3600_000
/** Previews of pull requests live this long after the last push (TOOLS.md: default 24 h). */
const TTL_HOURS = 24
/** A delivery id is remembered this long: GitHub redelivers on request, for days at most. */
const DELIVERY_DAYS = 30
const MARKER = '<!-- mctl-preview -->'

export interface WebhookHeaders { signature?: string, event?: string, delivery?: string }

const PullRequestEvent = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({ head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/) }), user: z.object({ login: z.string() }), html_url: z.string().optional() }),
  repository: z.object({ full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/) }),
})
type PullRequestEvent = z.infer<typeof PullRequestEvent>

const DEPLOY = new Set(['opened', 'reopened', 'synchronize'])

/** `sha256=<hex>` of the raw body under the webhook secret, compared in constant time. */
export function signatureValid(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * POST /api/v1/github/webhook: the GitHub App's events. The signature is checked before the
 * body is parsed; a delivery id seen before does nothing; `pull_request` events of a
 * repository registered to a tenant open, update or delete the previews of the services built
 * from it. Anything else is answered 200 with a note (GitHub would otherwise show a failure).
 */
export async function receiveGitHubWebhook(services: Services, h: WebhookHeaders, body: string) {
  const secret = services.settings.github.appWebhookSecret
  if (!secret) throw new AppError(503, 'The GitHub App webhook is not configured: set NUXT_GITHUB_APP_WEBHOOK_SECRET (the App\'s webhook secret)')
  if (!signatureValid(secret, body, h.signature)) throw unauthorized('Invalid or missing X-Hub-Signature-256')
  if (!h.delivery || h.delivery.length > 128) throw invalid('X-GitHub-Delivery: required (the delivery id, at most 128 characters)')
  if (!h.event) throw invalid('X-GitHub-Event: required (the event name)')
  let payload: unknown
  try { payload = JSON.parse(body) }
  catch { throw invalid('Request body is not valid JSON') }

  const { db } = services
  const fresh = db.insert(githubDeliveries).values({ id: h.delivery, event: h.event }).onConflictDoNothing().returning().get()
  if (!fresh) return { status: 'duplicate', note: `Delivery ${h.delivery} was handled already` }
  db.delete(githubDeliveries).where(lt(githubDeliveries.receivedAt, new Date(Date.now() - DELIVERY_DAYS * 24 * HOUR).toISOString())).run()
  try {
    if (h.event === 'ping') return { status: 'ok', note: 'pong' }
    if (h.event !== 'pull_request') return { status: 'ignored', note: `Event "${h.event}" is not used (subscribe to pull_request)` }
    const parsed = PullRequestEvent.safeParse(payload)
    if (!parsed.success) throw invalid('Not a pull_request event')
    return await pullRequestEvent(services, parsed.data)
  }
  catch (err) {
    // Not handled: a redelivery must try again.
    db.delete(githubDeliveries).where(eq(githubDeliveries.id, h.delivery)).run()
    throw err
  }
}

interface Outcome { tenant: string, service: string, preview: string, operation?: string, error?: string, host?: string | null }

async function pullRequestEvent(services: Services, e: PullRequestEvent) {
  const deploy = DEPLOY.has(e.action)
  if (!deploy && e.action !== 'closed') return { status: 'ignored', note: `Pull request action "${e.action}" changes no preview` }
  const repo = e.repository.full_name
  const registered = services.db.select().from(repositories).where(sql`lower(${repositories.fullName}) = ${repo.toLowerCase()}`).all()
  if (!registered.length) return { status: 'ignored', note: `${repo} is not registered to a tenant (mctl_grant_repo_access registers it)` }
  await services.store.sync(false)
  const targets = registered.flatMap(r => services.index.servicesOf(r.tenant)
    .filter(s => s.spec.source?.repository.toLowerCase() === repo.toLowerCase())
    .map(s => ({ tenant: r.tenant, service: s.name, installationId: r.installationId })))
  if (!targets.length) return { status: 'ignored', note: `No service of ${registered.map(r => `"${r.tenant}"`).join(', ')} is built from ${repo} (dockerfile_repo)` }

  const outcomes: Outcome[] = []
  for (const t of targets) {
    const o = await (deploy ? deployPreview : deletePreview)(services, e, t.tenant, t.service)
    if (o) outcomes.push(o)
  }
  const note = outcomes.length ? await postComment(services, targets[0]!.installationId, e, outcomes) : undefined
  return { status: 'accepted', previews: outcomes, ...(note ? { note } : {}) }
}

/** The app's one comment on the pull request, edited on every event; a failure is a note, the previews stand. */
async function postComment(services: Services, installationId: number, e: PullRequestEvent, outcomes: Outcome[]): Promise<string | undefined> {
  try {
    await services.githubApp.upsertComment(installationId, e.repository.full_name, e.number, MARKER, comment(e, outcomes))
  }
  catch (err) {
    services.logger.warn('github.comment_failed', { repo: e.repository.full_name, number: e.number, error: errorMessage(err) })
    return `The pull request comment could not be written: ${errorMessage(err)}`
  }
}

/** `pr<n>`: the same preview for every push of one pull request. */
const previewIdOf = (e: PullRequestEvent) => `pr${e.number}`

async function deployPreview(services: Services, e: PullRequestEvent, tenant: string, service: string): Promise<Outcome> {
  const { index } = services
  const id = previewIdOf(e)
  const params: PreviewParams = {
    team_name: tenant,
    component_name: service,
    image_tag: `pr-${e.number}-${e.pull_request.head.sha.slice(0, 7)}`,
    preview_id: id,
    expires_at: new Date(Date.now() + TTL_HOURS * HOUR).toISOString(),
    created_by: `github:${e.pull_request.user.login}`,
    pull_request: { repository: e.repository.full_name, number: e.number, sha: e.pull_request.head.sha },
  }
  const outcome: Outcome = { tenant, service, preview: previewName(service, id) }
  try {
    const op = await act(services, e, 'preview-deploy', { ...params }, tenant, {
      // The quota and the rest of the policy, as for mctl_create_preview.
      check: () => checkPolicy(previewChangesFor(params, index), index),
      run: () => submit(services, e, 'preview-deploy', { ...params }, tenant, service),
    })
    const parent = index.service(tenant, service)
    return { ...outcome, operation: op!.id, host: parent?.spec.componentType === 'web' ? previewHost(tenant, service, id, index.platform.baseDomain) : null }
  }
  catch (err) {
    if (!(err instanceof AppError)) throw err
    return { ...outcome, error: err.message }
  }
}

async function deletePreview(services: Services, e: PullRequestEvent, tenant: string, service: string): Promise<Outcome | undefined> {
  const id = previewIdOf(e)
  // A deploy still queued or running goes first: the deletion then removes what it committed.
  const pending = pendingDeployOf(tenant, service, id)(services.db)
  if (!pending && !services.index.previews.get(tenant)?.has(previewName(service, id))) return undefined
  const params: PreviewDeleteParams = { team_name: tenant, component_name: service, preview_id: id, reason: `pull request #${e.number} closed` }
  let existing: Operation | undefined
  const op = await act(services, e, 'preview-delete', { ...params }, tenant, {
    run: () => submit(services, e, 'preview-delete', { ...params }, tenant, service, pending?.id, tx => (existing = deletionOf(tenant, service, id)(tx))),
    quiet: () => !!existing,
  })
  return { tenant, service, preview: previewName(service, id), operation: op!.id }
}

function submit(services: Services, e: PullRequestEvent, name: string, params: Record<string, unknown>, tenant: string, service: string, after?: string, unless?: SubmitGuard) {
  const { committer } = services.settings.gitops
  return services.engine.submit({
    name, params, tenant, service, after, client: CLIENT,
    requester: { id: GITHUB_APP_ID, name: `GitHub App for @${e.pull_request.user.login}`, email: committer.email },
  }, unless)
}

/**
 * One write of the webhook through the gate, as the App (a system identity) on behalf of the
 * pull request's author: refused by policy or run, it is audited like every write.
 */
function act(services: Services, e: PullRequestEvent, operation: string, params: Record<string, unknown>, tenant: string,
  how: { check?: () => void, run: () => Operation, quiet?: () => boolean }) {
  const { committer } = services.settings.gitops
  return services.gate.pass({
    action: 'github-webhook',
    caller: { identity: systemIdentity({ id: GITHUB_APP_ID, name: `GitHub App for @${e.pull_request.user.login}`, email: committer.email }), client: CLIENT },
    audited: true,
    operation,
    risk: operation === 'preview-delete' ? 'high' : 'low',
    params: { ...params, on_behalf_of: e.pull_request.user.login },
    authorize(subject) {
      subject.tenant = tenant
      how.check?.()
    },
    run: how.run,
    outcomes: op => how.quiet?.() ? [] : [{ operationId: op.id, reason: `pull request ${e.repository.full_name}#${e.number} ${e.action}` }],
  })
}

function comment(e: PullRequestEvent, outcomes: Outcome[]): string {
  const sha = e.pull_request.head.sha.slice(0, 7)
  const lines = outcomes.map((o) => {
    const what = `**${o.tenant}/${o.service}** (preview \`${o.preview}\`)`
    if (o.error) return `- ${what}: not deployed — ${o.error}`
    if (e.action === 'closed') return `- ${what}: deleted (operation \`${o.operation}\`)`
    const where = o.host ? `https://${o.host}` : 'a worker, no URL'
    return `- ${what}: ${where} — deploying \`pr-${e.number}-${sha}\` (operation \`${o.operation}\`), expires ${TTL_HOURS} h after the last push`
  })
  const head = e.action === 'closed'
    ? `The pull request was closed: ${outcomes.length ? 'its preview is deleted.' : 'it had no preview.'}`
    : `Preview of ${sha}:`
  return [MARKER, '### MCTL preview', head, ...lines].join('\n')
}
