import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pod, startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { startTelegramFake, type FakeTelegram } from '../fakes/telegram'
import { atStage, editTenant, INTAKE_TOKEN, postAlerts } from '../helpers/agent'
import { commits, git } from '../helpers/git'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { eventually } from '../helpers/users'

// The agent across a restart, and the verification window (a short one, as a setting):
// a fix that does not make the alert stop is escalated. No LLM, no pull requests here: the
// rules alone, branches in the local repository.
let server: TestServer
let k8s: FakeKubernetes, telegram: FakeTelegram
let admin: McpSession
let repo: string
const CHAT = '-100888'

beforeAll(async () => {
  ;[k8s, telegram] = await Promise.all([startKubernetesFake(), startTelegramFake()])
  server = await startServer({
    env: {
      KUBERNETES_SERVICE_HOST: '',
      KUBECONFIG: k8s.kubeconfig(await tempDir()),
      NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN,
      NUXT_AGENT_POLL_SECONDS: '1',
      NUXT_AGENT_VERIFY_SECONDS: '2',
      NUXT_TELEGRAM_BOT_TOKEN: telegram.token,
      NUXT_TELEGRAM_API_URL: telegram.url,
      NUXT_TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    },
  })
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN)
  for (const [name, args] of [
    ['mctl_create_tenant', { tenant_name: 'ops' }],
    ['mctl_deploy_service', { action: 'onboard', team_name: 'ops', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0' }],
  ] as const) expect(await finished(admin, (await admin.call(name, args)).data.operation_id)).toMatchObject({ status: 'succeeded' })
  await editTenant(repo, 'ops', (spec) => { spec.telegram = { chatId: CHAT } })
  k8s.pods.set('ops', [pod('ops', 'api-7d9f8b6c5-a1z9k', 'api', { lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })])
}, 300_000)
afterAll(async () => {
  await admin?.close()
  await server?.stop()
  await Promise.all([k8s, telegram].map(f => f?.close()))
})

describe('the agent across a restart and the verification window', { timeout: 200_000 }, () => {
  let id: string

  it('resumes after a crash without proposing twice', async () => {
    id = (await postAlerts(server.url, [{ labels: { alertname: 'KubePodOOMKilled', namespace: 'ops', pod: 'api-7d9f8b6c5-a1z9k', severity: 'critical' }, fingerprint: 'fp-ops' }])).created[0]!
    const proposed = await atStage(admin, id, 'review')
    expect(proposed.analysis).toMatchObject({ llm: null, llmNote: 'No language model configured (NUXT_ANTHROPIC_API_KEY): the built-in rules analysed this incident' })
    expect(proposed.proposal).toMatchObject({ skill: 'memory-raise', prUrl: null })

    await server.kill()
    await server.start()
    await admin.close()
    admin = await connect(server.url, ADMIN_TOKEN)
    const after = await atStage(admin, id, 'review')
    expect(after.proposal).toEqual(proposed.proposal)
    expect(git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/fix/')).toBe(`fix/${id}`)
    expect(telegram.sent('sendMessage').filter(m => m.text.includes(id))).toHaveLength(1)
  })

  it('escalates when the alert still fires after the window, and says so in Telegram', async () => {
    const res = await fetch(`${server.url}/api/v1/incidents/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(202)
    const approved = await res.json()
    expect(approved).toMatchObject({ stage: 'apply', status: 'acknowledged', proposal: { state: 'approved', decidedBy: 'admin', decidedVia: 'api', operationId: expect.stringMatching(/^op_/) } })

    const i = await atStage(admin, id, 'done')
    expect(i).toMatchObject({ outcome: 'escalated', status: 'firing', acknowledgedBy: null })
    expect(i.stageReason).toMatch(/^Escalated: still firing 2 s after the fix \(commit [0-9a-f]{12}\) was applied; the incident is open again and needs a person$/)
    expect(i.history.map((h: { stage: string }) => h.stage).slice(-3)).toEqual(['apply', 'verify', 'done'])
    expect(commits(repo)[0]).toMatchObject({ subject: 'fix: ops/api raise the memory limit 512Mi → 1Gi', author: 'Administrator' })
    const escalation = await eventually(() => telegram.sent('sendMessage').find(m => m.text.startsWith('⚠️ Still firing after the fix')))
    expect(escalation).toMatchObject({ chat_id: CHAT })
    expect(escalation.text).toContain(id)

    const status = (await admin.call('mctl_get_workflow_status', { workflow_name: i.proposal.operationId })).data
    expect(status).toMatchObject({ status: 'succeeded', operation: 'apply-fix', team: 'ops', commit: i.proposal.mergedCommit })
  })
})
