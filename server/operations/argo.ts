import { setTimeout as delay } from 'node:timers/promises'
import type { WorkflowState, Workflows } from '../adapters/kubernetes'
import type { Operation } from '../db/schema'
import type { RepoIndex } from '../gitops/state'
import type { ArgoEngineSettings, Settings } from '../settings'
import { errorMessage } from '../utils/errors'
import type { Logger } from '../utils/logger'
import { isFinished, type Engine, type RemoteRunner } from './engine'
import type { OperationDef } from './types'

/** The operation runner inside the app image (built by the Nitro `compiled` hook, see nuxt.config.ts). */
const RUNNER_COMMAND = ['node', '.output/server/operation.mjs']
const ENDED = new Set(['Succeeded', 'Failed', 'Error'])

/** A label value: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends. */
function labelValue(value: string | null | undefined): string {
  return (value ?? '').replace(/[^\w.-]/g, '_').slice(0, 63).replace(/^[^a-z0-9]+|[^a-z0-9]+$/gi, '')
}

/**
 * The Workflow of one operation: for each image a step needs, a kaniko node named after the
 * step, then `run`, which runs this app's operation runner (`node .output/server/operation.mjs
 * <id>`) in the MCTL image on MCTL's data volume. So the steps that run in a cluster are the
 * very ones the local engine runs.
 */
function workflowManifest(op: Operation, def: OperationDef, s: ArgoEngineSettings, gitHost: string, index: RepoIndex) {
  const builds = def.steps.flatMap((step) => {
    const image = step.image?.(op.params, index)
    return image ? [{ step: step.name, ...image }] : []
  })
  const envFrom = [
    ...(s.envConfigMap ? [{ configMapRef: { name: s.envConfigMap } }] : []),
    ...(s.envSecret ? [{ secretRef: { name: s.envSecret } }] : []),
  ]
  const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: op.workflowName,
      namespace: s.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'mctl',
        'mctl.dev/operation': labelValue(op.id),
        'mctl.dev/tenant': labelValue(op.tenant),
        'mctl.dev/user': labelValue(op.requestedBy),
      },
      annotations: { 'mctl.dev/operation-name': op.name },
    },
    spec: {
      entrypoint: 'operation',
      ...(s.serviceAccount ? { serviceAccountName: s.serviceAccount } : {}),
      // The operation's record stays in MCTL; the Workflow object is only kept for a day.
      ttlStrategy: { secondsAfterCompletion: 86_400 },
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: s.dataClaim } },
        { name: 'tmp', emptyDir: {} },
        ...(builds.length && s.registrySecret
          ? [{ name: 'registry', secret: { secretName: s.registrySecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }]
          : []),
      ],
      templates: [
        { name: 'operation', steps: [...builds.map(b => [{ name: b.step, template: b.step }]), [{ name: 'run', template: 'run' }]] },
        ...builds.map(b => ({
          name: b.step,
          container: {
            image: s.kanikoImage,
            args: [
              `--context=git://${gitHost}/${b.repository}.git#${b.gitRef}${b.commit ? `#${b.commit}` : ''}`,
              `--dockerfile=${b.dockerfilePath}`,
              `--destination=${b.destination}`,
            ],
            // Private repositories: kaniko's git context reads GIT_USERNAME and GIT_PASSWORD,
            // from a Secret (never written into the Workflow).
            ...(s.gitSecret
              ? { env: ['username', 'password'].map(key => ({ name: `GIT_${key.toUpperCase()}`, valueFrom: { secretKeyRef: { name: s.gitSecret, key } } })) }
              : {}),
            ...(s.registrySecret ? { volumeMounts: [{ name: 'registry', mountPath: '/kaniko/.docker' }] } : {}),
          },
        })),
        {
          name: 'run',
          // A lost pod (node drained, evicted) runs again; the steps resume where they stopped.
          retryStrategy: { limit: 2, retryPolicy: 'OnError' },
          // The data volume (SQLite, the GitOps clone) is MCTL's: run on the node where MCTL runs.
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{
                labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'mctl' } },
                topologyKey: 'kubernetes.io/hostname',
              }],
            },
          },
          container: {
            image: s.image,
            command: [...RUNNER_COMMAND, op.id],
            workingDir: '/app',
            env: [{ name: 'NUXT_DATA_DIR', value: '/data' }],
            ...(envFrom.length ? { envFrom } : {}),
            securityContext: { ...restricted, runAsNonRoot: true, readOnlyRootFilesystem: true },
            volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
          },
        },
      ],
    },
  }
}

/** `build-image(0)` (a retried pod) → `build-image`. */
const stepOf = (displayName: string) => displayName.replace(/\(\d+\)$/, '')

/**
 * NUXT_ENGINE=argo: submits each operation as a Workflow and follows it until it ends. The
 * runner pod records the steps in the shared database; from the Workflow object come the
 * nodes' progress (logged, and mirrored on a step of the same name such as `build-image`)
 * and every failure the runner could not record itself (a failed build, a pod that never ran).
 */
export class ArgoRunner implements RemoteRunner {
  private readonly gitHost: string

  constructor(private readonly workflows: Workflows, private readonly settings: Settings, private readonly log: Logger) {
    this.gitHost = new URL(settings.github.url).host
  }

  async execute(op: Operation, engine: Engine): Promise<void> {
    const def = engine.definition(op.name)!
    const name = op.workflowName
    const where = `${this.workflows.namespace}/${name}`
    let created: boolean
    try {
      created = await this.workflows.create(workflowManifest(op, def, this.settings.engine.argo, this.gitHost, engine.services.index))
    }
    catch (err) {
      engine.finish(op.id, 'failed', { error: errorMessage(err) })
      return
    }
    engine.appendLog(op.id, created ? `Submitted Argo Workflow ${where}` : `Following Argo Workflow ${where} (submitted before a restart)`)
    let last = engine.update(op.id, { status: 'running', startedAt: op.startedAt ?? new Date().toISOString(), message: `Argo Workflow ${name} submitted` })
    const phases = new Map<string, string>()
    let failures = 0
    while (!engine.stopped) {
      let wf: WorkflowState | null
      try {
        wf = await this.workflows.get(name)
        failures = 0
      }
      catch (err) {
        // The API may be briefly away; the operation stays running and is followed again.
        if (failures++ === 0) this.log.warn('workflow.unreadable', { operation: op.id, workflow: where, error: errorMessage(err) })
        await this.pause(engine)
        continue
      }
      if (!wf) {
        engine.finish(op.id, 'failed', { error: `Argo Workflow ${where} was deleted before the operation finished` })
        return
      }
      const ended = ENDED.has(wf.phase)
      // The runner's commit is in the index before anyone hears that the operation ended.
      if (ended && isFinished(engine.get(op.id)!)) await engine.services.store.sync(false)
      for (const node of wf.nodes) {
        const key = `${node.displayName}:${node.phase}`
        if (phases.has(key)) continue
        phases.set(key, node.phase)
        engine.appendLog(op.id, `workflow ${node.displayName}: ${node.phase}${node.message ? ` (${node.message})` : ''}`, node.phase === 'Failed' || node.phase === 'Error' ? 'error' : 'info')
        this.mirrorStep(engine, op.id, node.displayName, node.phase, node.message)
      }
      const current = engine.get(op.id)!
      if (ended) return this.settle(engine, current, wf)
      // The runner pod writes the same database: tell waiters here what it recorded (its end
      // only once the Workflow ended and the index has its commit).
      if (!isFinished(current) && (current.message !== last.message || current.status !== last.status || current.commitSha !== last.commitSha)) engine.emit('update', current)
      last = current
      await this.pause(engine)
    }
  }

  /** A node named after a step (a kaniko build) shows as that step's state. */
  private mirrorStep(engine: Engine, id: string, displayName: string, phase: string, message: string | null) {
    const step = engine.steps(id).find(s => s.name === stepOf(displayName))
    if (!step || step.status === 'succeeded' || step.status === 'failed') return
    if (phase === 'Running') engine.startStep(id, step.idx, step.attempts)
    if (phase === 'Failed' || phase === 'Error') engine.endStep(id, step.idx, 'failed', message ?? phase)
  }

  private settle(engine: Engine, op: Operation, wf: WorkflowState) {
    if (isFinished(op)) {
      // The runner recorded the outcome: announce it here and release what waited for it.
      engine.emit('update', op)
      engine.finished(op)
      return
    }
    const failed = wf.nodes.find(n => n.phase === 'Failed' || n.phase === 'Error')
    const reason = failed
      ? `${stepOf(failed.displayName)}: ${failed.message ?? failed.phase}`
      : wf.phase === 'Succeeded' ? 'the runner exited before the operation finished' : (wf.message ?? wf.phase)
    engine.finish(op.id, 'failed', { error: `Argo Workflow ${op.workflowName} ${wf.phase.toLowerCase()}: ${reason}` })
  }

  private pause(engine: Engine) {
    return delay(this.settings.engine.argo.pollSeconds * 1000, undefined, { signal: engine.signal }).catch(() => {})
  }
}
