// NUXT_ENGINE=argo end to end: the built server submits each operation as an Argo Workflow to
// the Kubernetes fake; the test plays the Argo controller — it advances the Workflow's phase
// and runs its `run` pod's command, `node .output/server/operation.mjs <id>`, on the server's
// data directory — and reads the outcome back through MCP and git.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../../scripts/build.mjs'
import { startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { commits, trailer } from '../helpers/git'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'

const NS = 'mctl'
const IMAGE = 'ghcr.io/mctl/mctl:0.1.0'
let k8s: FakeKubernetes, server: TestServer, admin: McpSession, repo: string

beforeAll(async () => {
  k8s = await startKubernetesFake()
  server = await startServer({
    env: {
      NUXT_ENGINE: 'argo',
      NUXT_ENGINE_NAMESPACE: NS,
      NUXT_ENGINE_IMAGE: IMAGE,
      NUXT_ENGINE_DATA_CLAIM: 'mctl-data',
      NUXT_ENGINE_ENV_CONFIG_MAP: 'mctl-settings',
      NUXT_ENGINE_ENV_SECRET: 'mctl-env',
      NUXT_ENGINE_REGISTRY_SECRET: 'registry-push',
      NUXT_ENGINE_GIT_SECRET: 'git-clone',
      NUXT_ENGINE_POLL_SECONDS: '1',
      KUBECONFIG: k8s.kubeconfig(await tempDir()),
    },
  })
  admin = await connect(server.url, ADMIN_TOKEN)
  repo = join(server.dataDir, 'gitops')
})

afterAll(async () => {
  await admin?.close()
  await server?.stop()
  await k8s?.close()
})

/** The Workflow the server submitted for an operation (it does so right after accepting it). */
async function workflowOf(name: string) {
  for (let i = 0; i < 300 && !k8s.workflows.has(`${NS}/${name}`); i++) await new Promise(r => setTimeout(r, 100))
  const wf = k8s.workflows.get(`${NS}/${name}`)
  if (!wf) throw new Error(`Workflow ${NS}/${name} was not submitted`)
  return wf
}

/** A write's answer: the accepted operation. */
async function accept(tool: string, args: Record<string, unknown>) {
  const answer = await admin.call(tool, args)
  expect(answer.isError, answer.text).toBe(false)
  return answer.data
}

/** The server has read the Workflow back up to this node phase (it logs each one it sees). */
async function followed(operationId: string, line: string) {
  await expect.poll(async () => (await admin.call('mctl_get_workflow_status', { workflow_name: operationId })).data.log.map((l: any) => l.message), { timeout: 30_000 })
    .toContain(line)
}

const template = (wf: any, name: string) => wf.spec.templates.find((t: any) => t.name === name)

/** The `run` pod: its own command, in the app (this build), with the server's settings and data directory. */
function runPod(wf: any) {
  const { command } = template(wf, 'run').container
  const run = spawnSync(process.execPath, command.slice(1), { cwd: root, env: server.env, encoding: 'utf8' })
  return { code: run.status, output: run.stdout + run.stderr }
}

describe('the Argo Workflows engine', () => {
  it('submits an operation as a Workflow whose run pod is the operation runner, and reads its end back', async () => {
    const accepted = await accept('mctl_create_tenant', { tenant_name: 'acme' })
    const wf = await workflowOf(accepted.workflow_name)
    expect(wf.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'mctl', 'mctl.dev/operation': accepted.operation_id, 'mctl.dev/tenant': 'acme', 'mctl.dev/user': 'admin',
    })
    expect(wf.spec.templates.map((t: any) => t.name)).toEqual(['operation', 'run'])
    expect(template(wf, 'run').container).toMatchObject({
      image: IMAGE,
      command: ['node', '.output/server/operation.mjs', accepted.operation_id],
      env: [{ name: 'NUXT_DATA_DIR', value: '/data' }],
      envFrom: [{ configMapRef: { name: 'mctl-settings' } }, { secretRef: { name: 'mctl-env' } }],
      volumeMounts: expect.arrayContaining([{ name: 'data', mountPath: '/data' }]),
    })
    expect(wf.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'mctl-data' } })
    // Nothing runs before the controller starts the pod.
    expect((await admin.call('mctl_get_workflow_status', { workflow_name: accepted.operation_id })).data.commit).toBeNull()

    k8s.advance(NS, wf.metadata.name, 'Running', [{ displayName: 'run', phase: 'Running' }])
    await followed(accepted.operation_id, 'workflow run: Running')
    const pod = runPod(wf)
    expect(pod.code, pod.output).toBe(0)
    k8s.advance(NS, wf.metadata.name, 'Succeeded', [{ displayName: 'run', phase: 'Succeeded' }])
    await followed(accepted.operation_id, 'workflow run: Succeeded')

    const end = await finished(admin, accepted.operation_id)
    expect(end).toMatchObject({ status: 'succeeded', error: null })
    const commit = commits(repo).find(c => trailer(c.body, 'Mctl-Operation') === accepted.operation_id)!
    expect(commit.sha).toBe(end.commit)
    expect(commit.subject).toBe('tenant: acme created')
    expect(end.log.map((l: any) => l.message)).toContain(`Submitted Argo Workflow ${NS}/${accepted.workflow_name}`)
    // Reads see the runner's commit once the server has followed the Workflow to its end.
    expect((await admin.call('mctl_get_tenant', { name: 'acme' })).isError).toBe(false)
  })

  it('builds an image from dockerfile_repo + git_tag with kaniko before the runner onboards it', async () => {
    const accepted = await accept('mctl_deploy_service', { action: 'onboard', team_name: 'acme', component_name: 'web', dockerfile_repo: 'acme/web', git_tag: 'v1.2.0' })
    const wf = await workflowOf(accepted.workflow_name)
    expect(wf.spec.templates[0].steps).toEqual([[{ name: 'build-image', template: 'build-image' }], [{ name: 'run', template: 'run' }]])
    expect(template(wf, 'build-image').container).toEqual({
      image: 'gcr.io/kaniko-project/executor:v1.23.2',
      args: ['--context=git://github.com/acme/web.git#refs/tags/v1.2.0', '--dockerfile=Dockerfile', '--destination=ghcr.io/acme/web:v1.2.0'],
      // A private repository is cloned with the credentials Secret's values, by reference only.
      env: [
        { name: 'GIT_USERNAME', valueFrom: { secretKeyRef: { name: 'git-clone', key: 'username' } } },
        { name: 'GIT_PASSWORD', valueFrom: { secretKeyRef: { name: 'git-clone', key: 'password' } } },
      ],
      volumeMounts: [{ name: 'registry', mountPath: '/kaniko/.docker' }],
    })

    k8s.advance(NS, wf.metadata.name, 'Running', [{ displayName: 'build-image', phase: 'Running' }])
    await expect.poll(async () => (await admin.call('mctl_get_workflow_status', { workflow_name: accepted.operation_id })).data.steps[0], { timeout: 30_000 })
      .toMatchObject({ name: 'build-image', status: 'running' })
    k8s.advance(NS, wf.metadata.name, 'Running', [{ displayName: 'build-image', phase: 'Succeeded' }, { displayName: 'run', phase: 'Running' }])
    const pod = runPod(wf)
    expect(pod.code, pod.output).toBe(0)
    k8s.advance(NS, wf.metadata.name, 'Succeeded', [{ displayName: 'build-image', phase: 'Succeeded' }, { displayName: 'run', phase: 'Succeeded' }])
    await followed(accepted.operation_id, 'workflow run: Succeeded')

    const end = await finished(admin, accepted.operation_id)
    expect(end.status).toBe('succeeded')
    expect(end.message).toMatch(/onboarded: ghcr\.io\/acme\/web:v1\.2\.0; the image was built from acme\/web@v1\.2\.0/)
    expect(end.steps.find((s: any) => s.name === 'build-image')).toMatchObject({ status: 'succeeded', message: 'Built ghcr.io/acme/web:v1.2.0 from acme/web@v1.2.0 (Workflow step build-image)' })
  })

  it('fails the operation with the failed node\'s message, and commits nothing', async () => {
    const before = commits(repo).length
    const accepted = await accept('mctl_deploy_service', { action: 'deploy', team_name: 'acme', component_name: 'web', git_tag: 'v1.3.0' })
    const wf = await workflowOf(accepted.workflow_name)
    expect(template(wf, 'build-image').container.args).toContain('--destination=ghcr.io/acme/web:v1.3.0')
    k8s.advance(NS, wf.metadata.name, 'Failed', [
      { displayName: 'build-image', phase: 'Failed', message: 'Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context' },
      { displayName: 'run', phase: 'Omitted' },
    ])

    const end = await finished(admin, accepted.operation_id)
    expect(end.status).toBe('failed')
    expect(end.error).toBe(`Argo Workflow ${accepted.workflow_name} failed: build-image: Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context`)
    expect(end.steps.find((s: any) => s.name === 'build-image')).toMatchObject({ status: 'failed' })
    expect(commits(repo)).toHaveLength(before)
  })
})
