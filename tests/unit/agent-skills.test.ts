import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Evidence } from '../../server/agent/evidence'
import { builtInSkills } from '../../server/agent/skills/builtin'
import type { SkillInput } from '../../server/agent/skills/types'
import { loadYamlSkills } from '../../server/agent/skills/yaml'
import type { Incident } from '../../server/db/schema'
import { GitRepo } from '../../server/gitops/repo'
import { ServiceSpec, TenantSpec } from '../../server/gitops/specs'
import { RepoIndex } from '../../server/gitops/state'

const skill = (name: string) => builtInSkills.find(s => s.name === name)!
const spec = ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/api', tag: '1.1.0' } })
const tenantSpec = TenantSpec.parse({ displayName: 'Shop', quotas: { cpu: '2', memory: '4Gi', pods: 4 } })
const pod = (o: Partial<NonNullable<Evidence['pods']>[number]> = {}) =>
  ({ name: 'api-1', phase: 'Running', ready: true, restarts: 0, waitingReason: null, lastTermination: null, startedAt: null, ...o })

function input(type: string, e: Partial<Evidence> = {}, s = spec): SkillInput {
  const index = new RepoIndex(null as unknown as GitRepo)
  index.tenants.set('shop', tenantSpec)
  index.services.set('shop', new Map([['api', { tenant: 'shop', name: 'api', spec: s }], ['web', { tenant: 'shop', name: 'web', spec: { ...s, replicas: 1 } }]]))
  const evidence: Evidence = {
    collectedAt: '2026-11-25T10:05:00Z', service: null, gitHead: 'b'.repeat(40), pods: [pod()], lastTermination: null, argocd: null, events: null,
    deploys: [
      { tag: '1.1.0', image: 'ghcr.io/acme/api:1.1.0', time: '2026-11-25T09:30:00.000Z', author: 'Alice', commit: 'c2' },
      { tag: '1.0.0', image: 'ghcr.io/acme/api:1.0.0', time: '2026-11-20T09:00:00.000Z', author: 'Alice', commit: 'c1' },
    ],
    quota: null, logs: null, notes: [], ...e,
  }
  const incident = { id: 'f'.repeat(32), alertname: 'X', severity: 'critical', type, labels: {}, startsAt: '2026-11-25T10:00:00.000Z' } as unknown as Incident
  return { incident, evidence, analysis: { summary: '', findings: [] }, tenant: 'shop', service: 'api', spec: s, tenantSpec, index }
}
const oom = { pod: 'api-1', reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-25T09:59:00Z' }
const log = (line: string) => ({ timestamp: '2026-11-25T09:59:00Z', pod: 'api-1', line })

describe('built-in skills', () => {
  it('memory-raise doubles the limit, the request in step, capped at the tenant quota', async () => {
    expect(await skill('memory-raise').run(input('oom', { lastTermination: oom }))).toMatchObject({
      kind: 'propose', title: 'raise the memory limit 512Mi → 1Gi', confidence: 0.85,
      patch: { resources: { limits: { memory: '1Gi' }, requests: { memory: '256Mi' } } },
    })
    const big = ServiceSpec.parse({ ...spec, resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '1', memory: '3Gi' } } })
    expect(await skill('memory-raise').run(input('oom', { lastTermination: oom }, big))).toMatchObject({ patch: { resources: { limits: { memory: '4Gi' }, requests: { memory: '1366Mi' } } } })
    expect(await skill('memory-raise').run(input('storage', { lastTermination: oom }))).toEqual({ kind: 'skip', reason: 'a "storage" alert is not about memory' })
    expect(await skill('memory-raise').run(input('oom'))).toMatchObject({ kind: 'skip', reason: /no pod shows an OOMKilled termination/ })
    expect(await skill('memory-raise').run(input('oom', { pods: null }))).toMatchObject({ kind: 'propose', confidence: 0.55 })
  })

  it('rollback returns to the tag before a recent deploy', async () => {
    expect(await skill('rollback').run(input('crashloop'))).toMatchObject({ kind: 'propose', title: 'roll back 1.1.0 → 1.0.0', confidence: 0.75, patch: { image: { tag: '1.0.0' } } })
    const old = input('crashloop', { deploys: [{ tag: '1.1.0', image: 'ghcr.io/acme/api:1.1.0', time: '2026-11-01T00:00:00Z', author: 'A', commit: 'c' }] })
    expect(await skill('rollback').run(old)).toMatchObject({ kind: 'skip', reason: /not deployed in the 24 h before the alert/ })
  })

  it('probe-fix follows the logs to a health path that answers', async () => {
    const logs = { source: 'loki', lines: [log('GET /healthz 404 1ms'), log('"GET /health HTTP/1.1" 200 2ms')] }
    expect(await skill('probe-fix').run(input('probe', { logs }))).toMatchObject({ kind: 'propose', patch: { healthCheckPath: '/health' } })
    expect(await skill('probe-fix').run(input('probe', { logs: { source: 'loki', lines: [log('GET /healthz 404')] } }))).toMatchObject({ kind: 'skip', reason: /no other health path answers 200/ })
  })

  it('scale-out stays within the pod quota and leaves crashing pods alone', async () => {
    expect(await skill('scale-out').run(input('latency'))).toMatchObject({ kind: 'propose', patch: { replicas: 2 } })
    const full = ServiceSpec.parse({ ...spec, replicas: 3 })
    expect(await skill('scale-out').run(input('latency', {}, full))).toMatchObject({ kind: 'skip', reason: /no pod headroom: the tenant quota allows 4 pods and the other services may use 1/ })
    expect(await skill('scale-out').run(input('latency', { pods: [pod({ waitingReason: 'CrashLoopBackOff' })] }))).toMatchObject({ kind: 'skip', reason: /crashing/ })
    expect(await skill('scale-out').run(input('latency', {}, ServiceSpec.parse({ ...spec, replicas: 0 })))).toMatchObject({ kind: 'skip', reason: /paused/ })
  })

  it('restart only rolls stuck pods that no deploy explains', async () => {
    const stuck = { pods: [pod({ ready: false })], deploys: [] }
    expect(await skill('restart').run(input('probe', stuck))).toMatchObject({ kind: 'propose', patch: { restart: true } })
    expect(await skill('restart').run(input('probe', { pods: [pod({ ready: false })] }))).toMatchObject({ kind: 'skip', reason: /deployed less than 24 h before/ })
    expect(await skill('restart').run(input('probe', { pods: null }))).toMatchObject({ kind: 'skip', reason: /no pod status/ })
  })

  it('quota-raise raises the quota a refused pod ran out of, by half, within the platform limits', async () => {
    const refused = (message: string) => ({ events: [{ object: 'ReplicaSet/api-5c8d7b9f4', reason: 'FailedCreate', count: 3, lastTime: '2026-11-25T09:59:00.000Z', message }] })
    const memory = 'pods "api-5c8d7b9f4-zx8qv" is forbidden: exceeded quota: tenant-quota, requested: requests.memory=512Mi, used: requests.memory=3840Mi, limited: requests.memory=4Gi'
    expect(await skill('quota-raise').run(input('other', refused(memory)))).toMatchObject({
      kind: 'propose', title: 'raise the tenant quota memory 4Gi → 6Gi', confidence: 0.7, patch: { tenantQuotas: { memory: '6Gi' } },
      reason: /^ReplicaSet\/api-5c8d7b9f4 could not create pods \(FailedCreate, 3×\).*up to 64Gi memory$/,
    })
    const pods = 'pods "api-x" is forbidden: exceeded quota: tenant-quota, requested: pods=1,requests.cpu=500m, used: pods=4,requests.cpu=1800m, limited: pods=4,requests.cpu=2'
    expect(await skill('quota-raise').run(input('other', refused(pods)))).toMatchObject({ kind: 'propose', patch: { tenantQuotas: { pods: 6, cpu: '3' } } })
    // At the platform limit: nothing to propose, a person decides.
    const atLimit = input('other', refused(memory))
    atLimit.index.platform = { ...atLimit.index.platform, quotaLimits: { cpu: '2', memory: '4Gi', pods: 4 } }
    expect(await skill('quota-raise').run(atLimit)).toMatchObject({ kind: 'skip', reason: /memory 4Gi\) is already the platform limit/ })
    // Near it: capped at the limit.
    const near = input('other', refused(memory))
    near.index.platform = { ...near.index.platform, quotaLimits: { cpu: '2', memory: '5Gi', pods: 4 } }
    expect(await skill('quota-raise').run(near)).toMatchObject({ kind: 'propose', patch: { tenantQuotas: { memory: '5Gi' } } })
    expect(await skill('quota-raise').run(input('other', { events: [] }))).toMatchObject({ kind: 'skip', reason: /no event says a pod was refused/ })
    expect(await skill('quota-raise').run(input('other'))).toMatchObject({ kind: 'skip', reason: /no Kubernetes events/ })
  })

  it('drift-revert proposes a sync back to git when Argo CD names resources changed outside git', async () => {
    const argocd = { syncStatus: 'OutOfSync', healthStatus: 'Healthy', revision: 'a'.repeat(40), message: null, reconciledAt: null, outOfSync: ['Deployment/api'] }
    expect(await skill('drift-revert').run(input('other', { argocd }))).toMatchObject({ kind: 'propose', title: 'revert the out-of-band change: sync shop-api to git', patch: { sync: true }, reason: /^Argo CD shows Deployment\/api changed in the cluster outside git/ })
    expect(await skill('drift-revert').run(input('other', { argocd: { ...argocd, outOfSync: [] } }))).toMatchObject({ kind: 'skip', reason: /names no resource/ })
    expect(await skill('drift-revert').run(input('other', { argocd: { ...argocd, syncStatus: 'Synced' } }))).toMatchObject({ kind: 'skip' })
  })

  it('drift-report reports an out-of-sync application', async () => {
    const argocd = { syncStatus: 'OutOfSync', healthStatus: 'Healthy', revision: 'a'.repeat(40), message: null, reconciledAt: null, outOfSync: [] }
    expect(await skill('drift-report').run(input('other', { argocd }))).toMatchObject({ kind: 'report', reason: /OutOfSync \(live revision aaaaaaaaaaaa, git head bbbbbbbbbbbb\)/ })
  })
})

describe('a tenant\'s own agent in tenant.yaml', () => {
  it('takes https anywhere and http only on loopback, with the key named, never given', () => {
    const agent = (webhookUrl: string) => TenantSpec.safeParse({ ...tenantSpec, agent: { webhookUrl, secretRef: { service: 'claw', name: 'MCTL_AGENT_SECRET' } } })
    expect(agent('https://claw.example.com/mctl').success).toBe(true)
    expect(agent('http://127.0.0.1:8080/hook').success).toBe(true)
    for (const bad of ['http://10.0.0.5/hook', 'http://claw.example.com/hook', 'file:///etc/passwd', 'not a url']) {
      expect(agent(bad).error?.issues.map(i => `${i.path.join('.')}: ${i.message}`)).toEqual(['agent.webhookUrl: must be an https URL (http only on a loopback host)'])
    }
    expect(TenantSpec.safeParse({ ...tenantSpec, agent: { webhookUrl: 'https://claw.example.com' } }).error?.issues[0]?.path).toEqual(['agent', 'secretRef'])
  })
})

describe('YAML skills', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mctl-skills-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('loads valid files and names the file and field of broken ones', async () => {
    const repo = new GitRepo({ dir: join(dir, 'repo'), branch: 'main', committer: { name: 'MCTL', email: 'mctl@localhost' } })
    await repo.ensure(() => new Map([
      ['platform/skills/leak.yaml', 'match:\n  alertname: /MemoryLeak$/\n  evidence:\n    logContains: heap\nchange:\n  resources:\n    limits:\n      memory: "*1.5"\n  restart: true\nconfidence: 0.7\n'],
      ['platform/skills/bad.yaml', 'match: {}\nchange:\n  resources:\n    limits:\n      memory: lots\n'],
      ['platform/skills/broken.yml', 'match: [unclosed\n'],
      ['platform/skills/regex.yaml', 'match:\n  alertname: /(/\nchange: { restart: true }\n'],
      ['platform/skills/README.md', 'not a skill'],
    ]), 'seed')
    const { skills, problems } = await loadYamlSkills(repo, (await repo.head())!)
    expect(skills.map(s => [s.name, s.source])).toEqual([['leak', 'yaml']])
    expect(problems).toEqual([
      'platform/skills/bad.yaml: change.resources.limits.memory: must be a memory quantity such as "1Gi", or "*<factor>" of the current value such as "*2"',
      expect.stringMatching(/^platform\/skills\/broken\.yml: not valid YAML: /),
      'platform/skills/regex.yaml: match.alertname: is not a valid /regular expression/',
    ])
    const leak = skills[0]!
    const base = input('memory', { logs: { source: 'loki', lines: [log('heap grows')] } })
    expect(await leak.run({ ...base, incident: { ...base.incident, alertname: 'ApiMemoryLeak' } })).toMatchObject({ kind: 'propose', confidence: 0.7, patch: { restart: true } })
    expect(await leak.run(base)).toEqual({ kind: 'skip', reason: 'alertname X does not match /MemoryLeak$/' })
  })
})
