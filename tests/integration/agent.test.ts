import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnthropicFake, type FakeAnthropic } from '../fakes/anthropic'
import { startGitHubPullsFake, type FakeGitHubPulls } from '../fakes/github-pulls'
import { application, pod, startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { startSkillFake, type FakeSkill } from '../fakes/skill'
import { startTelegramFake, type FakeTelegram } from '../fakes/telegram'
import { atStage, editTenant, handCommit, incident, INTAKE_TOKEN, postAlerts } from '../helpers/agent'
import { commits, git, show, trailer } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// The self-healing agent end to end (issue 7): the built server against a remote GitOps
// repository (a bare repository), and loopback fakes of the Kubernetes API, Telegram, the
// Anthropic Messages API, GitHub pull requests and a remote skill.
let server: TestServer
let k8s: FakeKubernetes, telegram: FakeTelegram, anthropic: FakeAnthropic, pulls: FakeGitHubPulls, skill: FakeSkill
let remote: string
let admin: McpSession, alice: McpSession, bob: McpSession
let aliceToken: string, bobToken: string
const WEBHOOK_SECRET = 'telegram-webhook-secret-0123456789'
const CHAT = '-1001234567'
const ALICE_TG = 4242
const BOB_TG = 5151
const API_TOKEN = `tok-${randomBytes(16).toString('hex')}`
const BEARER = `bearer-${randomBytes(16).toString('hex')}`
const answers: string[] = []

const deployment = (rev: string, tenant: string, service: string) =>
  parse(show(remote, rev, `tenants/${tenant}/services/${service}/manifests/deployment.yaml`)).spec.template.spec.containers[0]
const fixBranches = () => git(remote, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/fix/').split('\n').filter(Boolean)
const mainSha = () => git(remote, 'rev-parse', 'main')
const press = (data: string, fromId: number, secret = WEBHOOK_SECRET) => fetch(`${server.url}/api/v1/telegram/webhook`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
  body: JSON.stringify(telegram.press({ chatId: CHAT, messageId: 1, fromId, data })),
})
const decide = (verdict: 'approve' | 'reject', id: string, token: string, body: unknown = {}) => fetch(`${server.url}/api/v1/incidents/${id}/${verdict}`, {
  method: 'POST', headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
})
async function ok(who: McpSession, name: string, args: Record<string, unknown>) {
  const answer = await who.call(name, { wait_seconds: 20, ...args })
  answers.push(answer.text)
  expect(answer.isError, answer.text).toBe(false)
  const end = ['succeeded', 'failed'].includes(answer.data.status) ? answer.data : await finished(who, answer.data.operation_id)
  expect(end, answer.text).toMatchObject({ status: 'succeeded' })
  return end
}
const get = async (id: string) => {
  const i = await incident(alice, id)
  answers.push(JSON.stringify(i))
  return i
}

beforeAll(async () => {
  ;[k8s, telegram, anthropic, pulls, skill] = await Promise.all([startKubernetesFake(), startTelegramFake(), startAnthropicFake(), startGitHubPullsFake(), startSkillFake()])
  const dir = await tempDir()
  remote = join(dir, 'gitops.git')
  git(dir, 'init', '-q', '--bare', '--initial-branch=main', remote)
  server = await startServer({
    env: {
      KUBERNETES_SERVICE_HOST: '',
      KUBECONFIG: k8s.kubeconfig(dir),
      NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN,
      NUXT_GITOPS_REMOTE_URL: remote,
      NUXT_GITOPS_FETCH_SECONDS: '1',
      NUXT_GITHUB_API_URL: pulls.url,
      NUXT_AGENT_GITHUB_REPO: pulls.repo,
      NUXT_AGENT_GITHUB_TOKEN: pulls.token,
      NUXT_AGENT_POLL_SECONDS: '1',
      NUXT_AGENT_SKILLS_URL: skill.url,
      NUXT_AGENT_SKILLS_SECRET: skill.secret,
      NUXT_ANTHROPIC_API_KEY: anthropic.apiKey,
      NUXT_ANTHROPIC_BASE_URL: anthropic.url,
      NUXT_ANTHROPIC_MODEL: 'claude-test-model',
      NUXT_TELEGRAM_BOT_TOKEN: telegram.token,
      NUXT_TELEGRAM_API_URL: telegram.url,
      NUXT_TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  })
  admin = await connect(server.url, ADMIN_TOKEN)
  aliceToken = addUser(server.dataDir, 'alice')
  bobToken = addUser(server.dataDir, 'bob')
  alice = await connect(server.url, aliceToken, 'claude-code')
  bob = await connect(server.url, bobToken)

  await ok(alice, 'mctl_create_tenant', { tenant_name: 'shop' })
  await ok(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0', secret_env_vars: { API_TOKEN } })
  // The platform admin names the tenant's chat and links Telegram users, by hand in git.
  await editTenant(remote, 'shop', (spec) => {
    spec.members.push({ userId: 'bob', role: 'member' })
    spec.telegram = { chatId: CHAT, users: { [ALICE_TG]: 'alice', [BOB_TG]: 'bob' } }
  })
  await eventually(async () => (await alice.call('mctl_get_tenant', { name: 'shop' })).data?.tenant.members.length === 2, 120_000)
}, 300_000)
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
  await Promise.all([k8s, telegram, anthropic, pulls, skill].map(f => f?.close()))
})

describe('an OOMKilled alert, from analysis to a verified fix', { timeout: 200_000 }, () => {
  const labels = { alertname: 'KubePodOOMKilled', namespace: 'shop', pod: 'api-7d9f8b6c5-x2x9z', severity: 'critical' }
  let id: string
  let before: string

  beforeAll(async () => {
    k8s.pods.set('shop', [pod('shop', 'api-7d9f8b6c5-x2x9z', 'api', { ready: false, restarts: 3, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })])
    const now = Date.now()
    k8s.logs.set('shop/api-7d9f8b6c5-x2x9z', [
      [new Date(now - 9000), `starting with API_TOKEN=${API_TOKEN}`],
      [new Date(now - 8000), `calling billing with Authorization: Bearer ${BEARER}`],
      [new Date(now - 7000), 'java.lang.OutOfMemoryError: Java heap space'],
    ])
    before = mainSha()
    id = (await postAlerts(server.url, [{ labels, fingerprint: 'fp-oom' }])).created[0]!
  })

  it('arrives analysed, with a memory raise proposed on a branch and main untouched', async () => {
    const i = await atStage(alice, id, 'review')
    expect(i).toMatchObject({ team: 'shop', service: 'api', type: 'oom', classification: { kind: 'actionable' }, outcome: null })
    expect(i.evidence.lastTermination).toMatchObject({ pod: 'api-7d9f8b6c5-x2x9z', reason: 'OOMKilled', exitCode: 137 })
    expect(i.evidence.deploys.map((d: { tag: string }) => d.tag)).toEqual(['1.0.0'])
    expect(i.evidence.quota.allocated).toEqual({ cpu: '2', memory: '4Gi', pods: 20 })
    expect(i.analysis.summary).toBe('api ran out of memory: pod api-7d9f8b6c5-x2x9z was OOMKilled')
    expect(i.analysis.llm).toEqual({ model: 'claude-test-model', text: anthropic.reply })
    expect(i.analysis.skills.map((s: { skill: string, result: string }) => `${s.skill}: ${s.result}`)).toEqual(['quota-raise: skipped', 'memory-raise: proposed'])

    const p = i.proposal
    expect(p).toMatchObject({
      skill: 'memory-raise', source: 'built-in', confidence: 0.85, state: 'open', branch: `fix/${id}`, base: before,
      title: 'raise the memory limit 512Mi → 1Gi', prUrl: `https://github.example/acme/gitops/pull/1`, prNumber: 1,
      patch: { resources: { limits: { memory: '1Gi' }, requests: { memory: '256Mi' } } },
    })
    expect(p.diffSummary).toMatch(/^memory limit 512Mi → 1Gi; memory request 128Mi → 256Mi \(2 files: /)
    expect(p.diff).toMatch(/^-\s+memory: 512Mi\n\+\s+memory: 1Gi$/m)
    expect(i.stageReason).toMatch(/^Waiting for approval of the fix by memory-raise \(85% confidence\)/)

    // The branch, pushed to the remote: the rendered Deployment's memory, raised within quota.
    expect(fixBranches()).toEqual([`fix/${id}`])
    expect(git(remote, 'rev-parse', `fix/${id}`)).toBe(p.commit)
    expect(git(remote, 'diff', '--name-only', 'main', `fix/${id}`).split('\n')).toEqual(['tenants/shop/services/api/manifests/deployment.yaml', 'tenants/shop/services/api/service.yaml'])
    expect(deployment(`fix/${id}`, 'shop', 'api').resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } })
    expect(deployment('main', 'shop', 'api').resources.limits.memory).toBe('512Mi')
    expect(mainSha()).toBe(before)
    const [branchCommit] = commits(remote, `fix/${id}`)
    expect(branchCommit!.subject).toBe('fix: shop/api raise the memory limit 512Mi → 1Gi')
    expect(trailer(branchCommit!.body, 'Mctl-Incident')).toBe(id)

    // The pull request carries the analysis; Telegram got the proposal with buttons.
    expect(pulls.pulls).toHaveLength(1)
    expect(pulls.pulls[0]).toMatchObject({ head: `fix/${id}`, base: 'main', state: 'open', title: 'fix: shop/api raise the memory limit 512Mi → 1Gi' })
    expect(pulls.pulls[0]!.body).toContain('was OOMKilled')
    const [message] = telegram.sent('sendMessage')
    expect(message.chat_id).toBe(CHAT)
    expect(message.text).toContain('Proposed fix (memory-raise, 85% confidence): raise the memory limit 512Mi → 1Gi')
    expect(message.reply_markup.inline_keyboard[0].map((b: { callback_data: string }) => b.callback_data)).toEqual([`approve:${id}`, `reject:${id}`])
  })

  it('sent the evidence to the language model, never the secret values', () => {
    const [request] = anthropic.prompts
    expect(request.model).toBe('claude-test-model')
    const prompt = request.messages[0].content as string
    expect(prompt).toContain('OOMKilled')
    expect(prompt).toContain('java.lang.OutOfMemoryError')
    expect(prompt).toContain('API_TOKEN=[redacted]')
    expect(prompt).not.toContain(API_TOKEN)
    expect(prompt).not.toContain(BEARER)
  })

  it('does not propose again when the same alert fires again', async () => {
    expect(await postAlerts(server.url, [{ labels, fingerprint: 'fp-oom' }])).toEqual({ created: [], updated: [id], resolved: [] })
    expect((await get(id)).occurrences).toBe(2)
  })

  it('refuses Telegram callers without the secret token, and members who are not owners', async () => {
    expect((await press(`approve:${id}`, ALICE_TG, 'wrong')).status).toBe(401)
    const res = await press(`approve:${id}`, BOB_TG)
    expect(res.status).toBe(200)
    const answer = await eventually(() => telegram.sent('answerCallbackQuery').at(-1))
    expect(answer.text).toBe('Only an owner of tenant "shop" (or an admin) may do this')
    expect((await get(id)).stage).toBe('review')
    expect((await decide('approve', id, bobToken)).status).toBe(403)
  })

  it('merges the fix to main when the owner approves in Telegram, attributed to them', async () => {
    const res = await press(`approve:${id}`, ALICE_TG)
    expect(res.status).toBe(200)
    expect(telegram.sent('answerCallbackQuery').at(-1).text).toBe(`${(await get(id)).displayId} approved: merging the fix`)
    const i = await atStage(alice, id, 'verify')
    expect(i).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'alice', proposal: { state: 'merged', decidedBy: 'alice', decidedVia: 'telegram' } })

    const [merge] = commits(remote)
    expect(merge).toMatchObject({ sha: i.proposal.mergedCommit, subject: 'fix: shop/api raise the memory limit 512Mi → 1Gi', author: 'Alice', email: 'alice@example.com' })
    expect(trailer(merge!.body, 'Mctl-Requested-By')).toBe('alice')
    expect(trailer(merge!.body, 'Mctl-Client')).toBe('telegram')
    expect(trailer(merge!.body, 'Mctl-Incident')).toBe(id)
    expect(trailer(merge!.body, 'Mctl-Operation')).toBe(i.proposal.operationId)
    // A merge of the proposal branch: it shows as merged, and main's history keeps it.
    expect(git(remote, 'rev-list', '--parents', '-n1', 'main').split(' ')).toEqual([merge!.sha, before, i.proposal.commit])
    expect(deployment('main', 'shop', 'api').resources.limits.memory).toBe('1Gi')
    expect(fixBranches()).toEqual([])
    expect(pulls.pulls[0]!.comments.at(-1)).toBe(`Merged into main as ${merge!.sha} by MCTL after approval by alice (telegram).`)

    const audit = (await admin.call('mctl_list_recent_operations', { tenant: 'shop' })).data.items
    expect(audit.filter((e: { tool: string }) => e.tool === 'incident.approve').map((e: any) => [e.user, e.client, e.status, e.parameters.chat])).toEqual([
      ['alice', 'telegram', 'succeeded', CHAT],
      ['bob', 'api', 'denied', undefined],
      ['bob', 'telegram', 'denied', CHAT],
    ])
    expect(telegram.sent('editMessageText').some(m => m.text.includes('Approved by alice via telegram'))).toBe(true)
  })

  it('resolves the incident when the alert resolves', async () => {
    await postAlerts(server.url, [{ labels, fingerprint: 'fp-oom', status: 'resolved' }])
    const i = await atStage(alice, id, 'done')
    expect(i).toMatchObject({ status: 'resolved', outcome: 'resolved', stageReason: `Resolved: the alert stopped firing after the fix (commit ${i.proposal.mergedCommit.slice(0, 12)}) was applied` })
    expect(i.history.map((h: { stage: string }) => h.stage)).toEqual(['analyze', 'propose', 'propose', 'review', 'apply', 'verify', 'done'])
    expect(i.history.find((h: { stage: string }) => h.stage === 'apply')).toMatchObject({ actor: 'alice', via: 'telegram' })
    // One proposal for the incident, whatever fired twice.
    expect(pulls.pulls).toHaveLength(1)
    expect(telegram.sent('sendMessage').filter(m => m.text.includes(id))).toHaveLength(1)
  })
})

describe('alerts the agent does not act on', { timeout: 200_000 }, () => {
  it('records why: informational and meta-alerts', async () => {
    const { created: [info, watchdog] } = await postAlerts(server.url, [
      { labels: { alertname: 'CPUThrottlingHigh', namespace: 'shop', service: 'api', severity: 'info' }, fingerprint: 'fp-info' },
      { labels: { alertname: 'Watchdog', severity: 'none' }, fingerprint: 'fp-watchdog' },
    ])
    expect(await atStage(alice, info!, 'done')).toMatchObject({
      outcome: 'informational', status: 'firing', proposal: null, classification: { kind: 'informational' },
      stageReason: 'Informational: severity "info": informational alerts are recorded and shown, never acted on',
    })
    expect(await atStage(admin, watchdog!, 'done')).toMatchObject({ outcome: 'suppressed', status: 'suppressed', stageReason: expect.stringMatching(/^Suppressed: Watchdog is a meta-alert/) })
    expect(fixBranches()).toEqual([])
    expect(telegram.sent('sendMessage').filter(m => m.text.includes(info!))).toEqual([])
  })

  it('refuses by policy a raise that would exceed the quota, with the reason', async () => {
    await ok(admin, 'mctl_create_tenant', { tenant_name: 'tight', quota_memory_req: '700Mi' })
    await ok(admin, 'mctl_deploy_service', { action: 'onboard', team_name: 'tight', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0' })
    await ok(admin, 'mctl_scale_service', { team_name: 'tight', component_name: 'api', replicas: 5 })
    k8s.pods.set('tight', [pod('tight', 'api-5c4b3a291-qq8rt', 'api', { lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })])
    const before = mainSha()
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'KubePodOOMKilled', namespace: 'tight', pod: 'api-5c4b3a291-qq8rt', severity: 'critical' }, fingerprint: 'fp-tight' }])
    const i = await atStage(admin, id!, 'done')
    expect(i.outcome).toBe('no-fix')
    expect(i.stageReason).toMatch(/^No fix proposed\. memory-raise refused: Policy check failed: at full scale the services of "tight" request 875Mi memory \(api 5 × 175Mi\) but the tenant quota allows 700Mi\./)
    expect(i.analysis.skills.find((s: { skill: string }) => s.skill === 'memory-raise')).toMatchObject({ result: 'refused' })
    expect(i.proposal).toBeNull()
    expect(fixBranches()).toEqual([])
    expect(mainSha()).toBe(before)
  })
})

describe('a rejected proposal', { timeout: 200_000 }, () => {
  it('leaves main untouched, deletes the branch and closes the pull request', async () => {
    await ok(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'cart', image: 'ghcr.io/acme/cart:1.0.0' })
    await ok(alice, 'mctl_deploy_service', { action: 'deploy', team_name: 'shop', component_name: 'cart', image_tag: '1.1.0' })
    k8s.pods.set('shop', [pod('shop', 'cart-6b5f4d3c2-zz9yx', 'cart', { ready: false, restarts: 7, waiting: 'CrashLoopBackOff', lastTerminated: { reason: 'Error', exitCode: 1 } })])
    const before = mainSha()
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'cart-6b5f4d3c2-zz9yx', severity: 'warning' }, fingerprint: 'fp-cart' }])
    const proposed = await atStage(alice, id!, 'review')
    expect(proposed.proposal).toMatchObject({ skill: 'rollback', title: 'roll back 1.1.0 → 1.0.0', patch: { image: { tag: '1.0.0' } }, prNumber: 2 })
    expect(fixBranches()).toEqual([`fix/${id}`])

    const res = await decide('reject', id!, aliceToken, { reason: 'the crash is a config error, not the release' })
    expect(res.status).toBe(200)
    const i = await atStage(alice, id!, 'done')
    expect(i).toMatchObject({ outcome: 'rejected', proposal: { state: 'rejected', decidedBy: 'alice', decidedVia: 'api', decisionNote: 'the crash is a config error, not the release' } })
    expect(i.stageReason).toBe('Rejected by alice via api: the crash is a config error, not the release')
    expect(mainSha()).toBe(before)
    expect(fixBranches()).toEqual([])
    expect(pulls.pulls[1]).toMatchObject({ state: 'closed', comments: ['Closed by MCTL: Rejected by alice via api: the crash is a config error, not the release'] })

    const again = await decide('approve', id!, aliceToken)
    expect(again.status).toBe(409)
    expect((await again.json()).error).toBe(`Incident ${i.displayId} has no fix waiting for review: it was already rejected by alice via api`)
  })
})

describe('YAML and remote skills', { timeout: 200_000 }, () => {
  beforeAll(async () => {
    await handCommit(remote, 'platform: agent skills', (f) => {
      f.write('platform/skills/api-leak.yaml', [
        'description: The API leaks memory under load; more headroom and a restart buy time',
        'match:',
        '  alertname: /MemoryLeak$/',
        '  labels: { namespace: shop }',
        'change:',
        '  resources: { limits: { memory: "*1.5" } }',
        '  restart: true',
        'confidence: 0.7',
        '',
      ].join('\n'))
      f.write('platform/skills/broken.yaml', 'match: { alertname: Anything }\nchange:\n  resources: { limits: { memory: plenty } }\n')
    })
  })

  it('names the file and field of a malformed skill, and the other skills keep working', async () => {
    const listed = await eventually(async () => {
      const res = await fetch(`${server.url}/api/v1/agent/skills`, { headers: { authorization: `Bearer ${aliceToken}` } })
      const body = await res.json()
      return body.problems.length ? body : undefined
    }, 120_000)
    expect(listed.problems).toEqual(['platform/skills/broken.yaml: change.resources.limits.memory: must be a memory quantity such as "1Gi", or "*<factor>" of the current value such as "*2"'])
    expect(listed.skills.map((s: { name: string, source: string }) => `${s.source}:${s.name}`)).toEqual([
      'yaml:api-leak', 'built-in:quota-raise', 'built-in:memory-raise', 'built-in:rollback', 'built-in:probe-fix', 'built-in:scale-out', 'built-in:restart',
      'built-in:drift-revert', 'built-in:drift-report', 'remote:tenant-agent', 'remote:remote',
    ])

    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'ApiMemoryLeak', namespace: 'shop', service: 'api', severity: 'warning' }, fingerprint: 'fp-leak' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'api-leak', source: 'yaml', confidence: 0.7, patch: { resources: { limits: { memory: '1536Mi' } }, restart: true } })
    expect(i.proposal.diffSummary).toMatch(/^memory limit 1Gi → 1536Mi; restart \(config revision 0 → 1\)/)
    expect(i.analysis.skillProblems).toEqual(listed.problems)
    expect(deployment(`fix/${id}`, 'shop', 'api').resources.limits.memory).toBe('1536Mi')
  })

  it('posts to the remote skill, signed, and proposes its answer through the same policy check', async () => {
    await ok(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'search', image: 'ghcr.io/acme/search:2.0.0', env_vars: { MODE: 'fast' } })
    k8s.pods.set('shop', [pod('shop', 'search-7f6e5d4c3-ab1cd', 'search')])
    skill.answer = payload => payload.incident.alertname === 'SearchDiskPressure'
      ? { status: 200, body: { proposal: { title: 'a CPU limit of 1 for compaction', reason: 'compaction is CPU-bound and falls behind', confidence: 0.4, change: { resources: { limits: { cpu: '1' } } } } } }
      : { status: 200, body: { proposal: null, reason: 'not mine' } }
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'SearchDiskPressure', namespace: 'shop', service: 'search', severity: 'warning' }, fingerprint: 'fp-disk' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'remote', source: 'remote', confidence: 0.4, title: 'a CPU limit of 1 for compaction', patch: { resources: { limits: { cpu: '1' } } } })
    expect(deployment(`fix/${id}`, 'shop', 'search').resources.limits.cpu).toBe('1')
    expect(i.analysis.skills.filter((s: { result: string }) => s.result !== 'skipped').map((s: { skill: string }) => s.skill)).toEqual(['remote'])

    expect(skill.refused).toBe(0)
    const sent = skill.received.find(p => p.incident.id === id)
    expect(sent.service).toMatchObject({ tenant: 'shop', name: 'search', spec: { envNames: ['MODE'] } })
    expect(sent.service.spec.env).toBeUndefined()
    expect(sent.evidence.pods[0].name).toBe('search-7f6e5d4c3-ab1cd')
  })
})

describe('the REST API', { timeout: 200_000 }, () => {
  it('documents the approve, reject and skills routes in OpenAPI', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    expect(doc.paths['/api/v1/incidents/{id}/approve'].post).toMatchObject({ operationId: 'approve_incident_fix', 'x-mctl-access': 'owner' })
    expect(doc.paths['/api/v1/incidents/{id}/reject'].post.responses['200'].content['application/json'].schema.properties.proposal).toBeTruthy()
    expect(doc.paths['/api/v1/agent/skills'].get.operationId).toBe('list_agent_skills')
  })

  it('refuses decisions without a token, and bad input', async () => {
    const [any] = (await admin.call('mctl_list_incidents', { status: 'all', limit: 1 })).data.items
    expect((await fetch(`${server.url}/api/v1/incidents/${any.id}/approve`, { method: 'POST' })).status).toBe(401)
    const bad = await decide('reject', any.id, aliceToken, { reason: 42 })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/^Invalid input: reason: /)
    expect((await decide('approve', 'f'.repeat(32), aliceToken)).status).toBe(404)
  })
})

describe('secrets', { timeout: 200_000 }, () => {
  it('never reach git, the database, the logs or any answer', () => {
    const leaks = findLeaks({ repo: remote, dataDir: server.dataDir, output: server.output(), answers }, [API_TOKEN, BEARER])
    expect(leaks).toEqual([])
  })
})


describe('a tenant\'s own agent (issue 22.4)', { timeout: 300_000 }, () => {
  let own: FakeSkill
  beforeAll(async () => {
    own = await startSkillFake('tenant-agent-secret-abcdef0123456789')
    // The key is a secret env var of one of the tenant's services (the secret store), never git.
    await ok(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'claw', image: 'ghcr.io/acme/claw:1.0.0', secret_env_vars: { MCTL_AGENT_SECRET: own.secret } })
    await ok(admin, 'mctl_create_tenant', { tenant_name: 'blog' })
    await ok(admin, 'mctl_deploy_service', { action: 'onboard', team_name: 'blog', component_name: 'web', image: 'ghcr.io/acme/web:1.0.0' })
    await editTenant(remote, 'shop', (spec) => {
      spec.agent = { webhookUrl: own.url, secretRef: { service: 'claw', name: 'MCTL_AGENT_SECRET' } }
      spec.description = 'with its own agent'
    })
    // The same commit changes what mctl_get_tenant shows: MCTL has read it once that shows.
    await eventually(async () => (await alice.call('mctl_get_tenant', { name: 'shop' })).data?.tenant.description === 'with its own agent', 120_000)
  })
  afterAll(() => own?.close())

  it('posts the tenant\'s incidents to its own agent, signed with the tenant\'s key, and its proposal is approved like any other', async () => {
    own.answer = payload => ({ status: 200, body: { proposal: { title: 'a CPU limit of 1 for the queue', reason: 'the queue worker is CPU-bound', confidence: 0.5, change: { resources: { limits: { cpu: '1' } } } } } })
    const globalBefore = skill.received.length
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'ClawQueueBacklog', namespace: 'shop', service: 'claw', severity: 'warning' }, fingerprint: 'fp-claw-backlog' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'tenant-agent', source: 'remote', title: 'a CPU limit of 1 for the queue', patch: { resources: { limits: { cpu: '1' } } } })
    expect(own.refused).toBe(0)
    expect(own.received.find(p => p.incident.id === id).service).toMatchObject({ tenant: 'shop', name: 'claw', spec: { envNames: [] } })
    // The tenant's agent proposed: the global remote skill was not asked.
    expect(skill.received.slice(globalBefore).some(p => p.incident.id === id)).toBe(false)
    answers.push(JSON.stringify(i))
    expect(findLeaks({ repo: remote, dataDir: server.dataDir, output: server.output(), answers }, [own.secret])).toEqual([])

    expect((await decide('approve', id!, aliceToken)).status).toBe(202)
    await atStage(alice, id!, 'verify')
    expect(deployment('main', 'shop', 'claw').resources.limits.cpu).toBe('1')
  })

  it('falls back to the global remote skill when the tenant\'s agent has nothing', async () => {
    own.answer = () => ({ status: 200, body: { proposal: null, reason: 'not a queue problem' } })
    skill.answer = () => ({ status: 200, body: { proposal: { title: 'a memory limit of 1Gi', reason: 'global knowledge', confidence: 0.3, change: { resources: { limits: { memory: '1Gi' } } } } } })
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'ClawSlowStart', namespace: 'shop', service: 'claw', severity: 'warning', type: 'other' }, fingerprint: 'fp-claw-start' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'remote', source: 'remote', title: 'a memory limit of 1Gi' })
    expect(i.analysis.skills.find((s: { skill: string }) => s.skill === 'tenant-agent')).toMatchObject({ result: 'skipped', reason: 'not a queue problem' })
    expect(own.received.some(p => p.incident.id === id)).toBe(true)
    expect((await decide('reject', id!, aliceToken, { reason: 'not now' })).status).toBe(200)
  })

  it('never sends another tenant\'s incident to it; that tenant keeps the global remote skill', async () => {
    skill.answer = payload => payload.service.tenant === 'blog'
      ? { status: 200, body: { proposal: { title: 'two replicas', reason: 'global agent', confidence: 0.3, change: { replicas: 2 } } } }
      : { status: 204 }
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'WebQueueBacklog', namespace: 'blog', service: 'web', severity: 'warning' }, fingerprint: 'fp-blog-backlog' }])
    const i = await atStage(admin, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'remote', source: 'remote', tenant: 'blog', title: 'two replicas' })
    expect(i.analysis.skills.find((s: { skill: string }) => s.skill === 'tenant-agent')).toMatchObject({ result: 'skipped', reason: 'tenant "blog" names no agent of its own (agent.webhookUrl in tenant.yaml)' })
    expect(own.received.some(p => p.incident.id === id || p.service.tenant === 'blog')).toBe(false)
    expect(skill.received.some(p => p.incident.id === id)).toBe(true)
    expect((await decide('reject', id!, ADMIN_TOKEN, { reason: 'not now' })).status).toBe(200)
  })
})

describe('quota raise and drift revert (issue 22.5)', { timeout: 300_000 }, () => {
  const refused = (message: string) => [{
    apiVersion: 'v1', kind: 'Event', type: 'Warning', reason: 'FailedCreate', count: 4, message,
    metadata: { name: 'claw-5c8d7b9f4.1', namespace: 'shop', creationTimestamp: new Date().toISOString() },
    involvedObject: { kind: 'ReplicaSet', name: 'claw-5c8d7b9f4', namespace: 'shop' },
    lastTimestamp: new Date().toISOString(),
  }]
  const tenantYaml = (rev: string) => parse(show(remote, rev, 'tenants/shop/tenant.yaml'))
  const quota = (rev: string) => parse(show(remote, rev, 'tenants/shop/manifests/resourcequota.yaml'))

  beforeAll(() => {
    // The tenant's own agent stays silent here.
    skill.answer = () => ({ status: 204 })
  })

  it('proposes a quota raise in tenant.yaml when pods are refused for "exceeded quota", committed after approval', async () => {
    k8s.events.set('shop', refused('pods "claw-5c8d7b9f4-zx8qv" is forbidden: exceeded quota: tenant-quota, requested: requests.memory=128Mi, used: requests.memory=4032Mi, limited: requests.memory=4Gi'))
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'KubeDeploymentReplicasMismatch', namespace: 'shop', deployment: 'claw', severity: 'warning' }, fingerprint: 'fp-claw-quota' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.evidence.events[0]).toMatchObject({ object: 'ReplicaSet/claw-5c8d7b9f4', reason: 'FailedCreate', count: 4 })
    expect(i.proposal).toMatchObject({ skill: 'quota-raise', source: 'built-in', title: 'raise the tenant quota memory 4Gi → 6Gi', patch: { tenantQuotas: { memory: '6Gi' } } })
    expect(i.proposal.diffSummary).toMatch(/^tenant quota memory 4Gi → 6Gi/)
    expect(tenantYaml(`fix/${id}`).quotas.memory).toBe('6Gi')
    expect(tenantYaml('main').quotas.memory).toBe('4Gi')

    expect((await decide('approve', id!, aliceToken)).status).toBe(202)
    await atStage(alice, id!, 'verify')
    expect(tenantYaml('main').quotas).toMatchObject({ cpu: '2', memory: '6Gi' })
    expect(tenantYaml('main').agent.webhookUrl).toBeTruthy()
    expect(quota('main').spec.hard['requests.memory']).toBe('6Gi')
    k8s.events.delete('shop')
  })

  it('refuses a quota change beyond the platform quotaLimits', async () => {
    skill.answer = () => ({ status: 200, body: { proposal: { title: 'a lot more memory', reason: 'why not', confidence: 0.3, change: { tenantQuotas: { memory: '100Gi' } } } } })
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'ClawGreedy', namespace: 'shop', service: 'claw', severity: 'warning', type: 'other' }, fingerprint: 'fp-claw-greedy' }])
    const i = await atStage(alice, id!, 'done')
    expect(i.outcome).toBe('no-fix')
    expect(i.analysis.skills.find((s: { skill: string }) => s.skill === 'remote')).toMatchObject({ result: 'refused', reason: expect.stringContaining('quotas.memory 100Gi is above the platform limit 64Gi (mctl.yaml quotaLimits.memory)') })
    expect(tenantYaml('main').quotas.memory).toBe('6Gi')
    skill.answer = () => ({ status: 204 })
  })

  it('proposes syncing an application Argo CD shows changed outside git, and asks Argo CD only after approval', async () => {
    k8s.applications.set('argocd/shop-claw', {
      ...application('shop-claw', 'OutOfSync', 'Healthy', mainSha()),
      status: { ...application('shop-claw', 'OutOfSync', 'Healthy', mainSha()).status, resources: [{ kind: 'Deployment', name: 'claw', status: 'OutOfSync' }, { kind: 'Service', name: 'claw', status: 'Synced' }] },
    })
    const { created: [id] } = await postAlerts(server.url, [{ labels: { alertname: 'ClawConfigDrift', namespace: 'shop', service: 'claw', severity: 'warning' }, fingerprint: 'fp-claw-drift' }])
    const i = await atStage(alice, id!, 'review')
    expect(i.proposal).toMatchObject({ skill: 'drift-revert', source: 'built-in', title: 'revert the out-of-band change: sync shop-claw to git', patch: { sync: true }, commit: null, files: [] })
    expect(i.proposal.reason).toMatch(/Deployment\/claw changed in the cluster outside git/)
    expect(fixBranches()).not.toContain(`fix/${id}`)
    expect(k8s.applicationPatches).toEqual([])

    const head = mainSha()
    expect((await decide('approve', id!, aliceToken)).status).toBe(202)
    const v = await atStage(alice, id!, 'verify')
    expect(v.stageReason).toMatch(/^Argo CD was asked to sync the service back to git/)
    expect(k8s.applicationPatches).toEqual([{ namespace: 'argocd', name: 'shop-claw', patch: { operation: { initiatedBy: { username: 'mctl' }, sync: { syncStrategy: { hook: {} } } } } }])
    expect(mainSha()).toBe(head)
  })
})
