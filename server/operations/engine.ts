import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { operationLogs, operations, operationSteps, type Operation, type OperationStep } from '../db/schema'
import { incarnationOf } from '../gitops/specs'
import { errorMessage } from '../utils/errors'
import type { Logger } from '../utils/logger'
import type { OperationDef, StepServices } from './types'

/** Runs an operation somewhere else (an Argo Workflow) and reflects its progress here. */
export interface RemoteRunner {
  execute(op: Operation, engine: Engine): Promise<void>
}

export interface SubmitRequest {
  name: string
  params: Record<string, unknown>
  tenant?: string
  /** The tenant incarnation the operation is for; by default the tenant's current one. */
  incarnation?: string
  service?: string
  requester: { id: string, name: string, email: string }
  client: string
  /** Run only once this operation has succeeded; fail when it failed. */
  after?: string
}

/**
 * Checked in the same synchronous transaction as the insert: an operation it returns is
 * answered instead of a new one, so two callers (or a restart) can never both submit.
 */
export type SubmitGuard = (tx: Pick<Db, 'select'>) => Operation | undefined

const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])
type Change = [event: 'update' | 'step' | 'log', change: object]
/** A step that was interrupted this many times is not tried again: it fails with that reason. */
const MAX_STEP_ATTEMPTS = 3
const nowIso = () => new Date().toISOString()

export const isFinished = (op: Pick<Operation, 'status'>) => FINISHED.has(op.status)

/**
 * The durable operation engine. An operation is a row (and its steps) in SQLite before anyone
 * is told it was accepted; steps run in order, their completion is recorded, and on start-up
 * every unfinished operation is picked up again where it stopped. Steps run in this process,
 * or — with a `remote` runner (NUXT_ENGINE=argo) — in a Workflow pod that runs `runHere`
 * of this same class on the same database.
 */
export class Engine extends EventEmitter {
  private queue: string[] = []
  private running = new Set<string>()
  /** Enqueued again while running (e.g. an operation it waits for just finished): run once more after. */
  private again = new Set<string>()
  private readonly stopping = new AbortController()
  private readonly sql: ReturnType<typeof statements>
  /** Changes of the transaction in progress (see atomically): announced once it committed. */
  private held?: Change[]
  constructor(
    private readonly db: Db,
    private readonly defs: Map<string, OperationDef>,
    private readonly log: Logger,
    /** What the steps are given. */
    readonly services: StepServices,
    private readonly concurrency = 64,
    /** Set for NUXT_ENGINE=argo: operations are handed to it instead of running here. */
    private readonly remote?: RemoteRunner,
  ) {
    super()
    this.setMaxListeners(0)
    this.sql = statements(db)
  }

  definition(name: string) { return this.defs.get(name) }
  definitions() { return [...this.defs.values()] }

  submit(req: SubmitRequest, unless?: SubmitGuard): Operation {
    const def = this.defs.get(req.name)
    if (!def) throw new Error(`Unknown operation ${req.name}`)
    let existing: Operation | undefined
    const op = this.db.transaction((tx) => {
      existing = unless?.(tx)
      if (existing) return existing
      for (;;) {
        const hex = randomBytes(4).toString('hex')
        const row = this.sql.insert.get({
          id: `op_${hex}`,
          workflowName: `${req.name}-${hex}`,
          name: req.name,
          tenant: req.tenant ?? null,
          incarnation: req.tenant ? req.incarnation ?? incarnationOf(this.services.index.tenant(req.tenant)) : null,
          service: req.service ?? null,
          params: req.params,
          requestedBy: req.requester.id,
          requesterName: req.requester.name,
          requesterEmail: req.requester.email,
          client: req.client,
          engine: this.remote ? 'argo' : 'local',
          afterId: req.after ?? null,
          message: req.after ? `${req.name} queued after ${req.after}` : `${req.name} queued`,
        })
        if (!row) continue
        def.steps.forEach((s, idx) => this.sql.insertStep.run({ id: row.id, idx, name: s.name }))
        return row
      }
    })
    if (existing) return existing
    this.enqueue(op.id)
    this.emit('update', op)
    return op
  }

  get(id: string): Operation | undefined {
    return this.sql.get.get({ id })
  }

  steps(id: string): OperationStep[] {
    return this.sql.steps.all({ id })
  }

  logTail(id: string, limit = 50) {
    return this.db.select().from(operationLogs).where(eq(operationLogs.operationId, id))
      .orderBy(sql`${operationLogs.id} desc`).limit(limit).all().reverse()
  }

  /** Resolves with the operation once finished, or as it is after `ms`. */
  wait(id: string, ms: number): Promise<Operation> {
    const current = this.get(id)
    if (!current || isFinished(current) || ms <= 0) return Promise.resolve(current!)
    return new Promise((resolve) => {
      const onUpdate = (op: Operation) => {
        if (op.id === id && isFinished(op)) done(op)
      }
      const timer = setTimeout(() => done(this.get(id)!), ms)
      const done = (op: Operation) => {
        clearTimeout(timer)
        this.off('update', onUpdate)
        resolve(op)
      }
      this.on('update', onUpdate)
    })
  }

  /** Start-up: take every unfinished operation again, oldest first. */
  recover() {
    const unfinished = this.db.select({ id: operations.id }).from(operations)
      .where(inArray(operations.status, ['queued', 'running'])).orderBy(asc(operations.createdAt)).all()
    for (const { id } of unfinished) this.enqueue(id)
    return unfinished.length
  }

  /** Stops taking new work; what runs finishes its current step and stays resumable. */
  async stop() {
    this.stopping.abort()
    while (this.running.size) await new Promise(r => this.once('idle', r))
  }

  private enqueue(id: string) {
    this.queue.push(id)
    queueMicrotask(() => this.pump())
  }

  private pump() {
    while (!this.stopped && this.running.size < this.concurrency && this.queue.length) {
      const id = this.queue.shift()!
      if (this.running.has(id)) {
        this.again.add(id)
        continue
      }
      this.running.add(id)
      this.run(id)
        .catch(err => this.log.error('operation.crashed', { operation: id, error: errorMessage(err) }))
        .finally(() => {
          this.running.delete(id)
          if (this.again.delete(id)) this.queue.push(id)
          if (!this.running.size) this.emit('idle')
          this.pump()
        })
    }
  }

  /** Aborted when the engine stops: long waits (watching a Workflow) end with it. */
  get signal(): AbortSignal { return this.stopping.signal }
  get stopped() { return this.stopping.signal.aborted }

  update(id: string, values: Partial<Operation>) {
    const op = this.db.update(operations).set(values).where(eq(operations.id, id)).returning().get()!
    this.notify(['update', op])
    return op
  }

  /** Step `idx` is running (`attempts` counts the runs of it that started here). */
  startStep(id: string, idx: number, attempts: number) {
    const startedAt = nowIso()
    this.sql.startStep.run({ id, idx, attempts, at: startedAt })
    this.notify(['step', { operationId: id, idx, status: 'running', attempts, startedAt }])
  }

  endStep(id: string, idx: number, status: 'succeeded' | 'failed', message?: string, output?: Record<string, unknown>) {
    const finishedAt = nowIso()
    this.sql.endStep.run({ id, idx, status, message: message ?? null, output: output ? JSON.stringify(output) : null, at: finishedAt })
    this.notify(['step', { operationId: id, idx, status, message, output, finishedAt }])
  }

  /**
   * Runs `fn`'s changes as one SQLite transaction — one write to the log instead of one per
   * row, which is most of what a step's bookkeeping costs — and announces them once it
   * committed (nothing, if it threw).
   */
  private atomically(fn: () => void) {
    const held: Change[] = this.held = []
    try { this.db.transaction(() => fn()) }
    finally { this.held = undefined }
    for (const [event, change] of held) this.emit(event, change)
  }

  private notify(change: Change) {
    if (this.held) this.held.push(change)
    else this.emit(...change)
  }

  /**
   * Calls `listener` whenever operation `id` changes (status, a step, a log line), after the
   * change is stored. Returns the function that stops listening.
   */
  watch(id: string, listener: () => void): () => void {
    const onChange = (change: { id?: string, operationId?: string }) => {
      if ((change.operationId ?? change.id) === id) listener()
    }
    for (const name of ['update', 'step', 'log']) this.on(name, onChange)
    return () => {
      for (const name of ['update', 'step', 'log']) this.off(name, onChange)
    }
  }

  appendLog(id: string, message: string, level = 'info') {
    this.sql.log.run({ id, message, level })
    this.notify(['log', { operationId: id, message, level, time: nowIso() }])
  }

  /**
   * Runs the operation's steps in this process, whatever the engine: the entry of the
   * operation runner (`node .output/server/operation.mjs <id>`) inside an Argo Workflow.
   */
  async runHere(id: string): Promise<Operation | undefined> {
    const op = this.get(id)
    const def = op && this.defs.get(op.name)
    if (op && def && !isFinished(op)) await this.runSteps(op, def)
    return this.get(id)
  }

  private async run(id: string) {
    const op = this.get(id)
    if (!op || isFinished(op)) return
    const def = this.defs.get(op.name)
    if (!def) {
      this.update(id, { status: 'failed', error: `Operation ${op.name} is not known to this version of MCTL`, finishedAt: nowIso() })
      return
    }
    if (op.afterId) {
      const before = this.get(op.afterId)
      // Not finished yet: stays queued; finishing `before` enqueues it again (see finish).
      if (before && !isFinished(before)) return
      if (before?.status !== 'succeeded') {
        this.finish(id, 'failed', { error: `${op.afterId} (${before?.name ?? 'unknown operation'}) did not succeed, so ${op.name} did not run` })
        return
      }
    }
    if (this.remote) await this.remote.execute(op, this)
    else await this.runSteps(op, def)
  }

  private async runSteps(op: Operation, def: OperationDef) {
    const id = op.id
    op = this.update(id, {
      status: 'running',
      attempts: op.attempts + 1,
      startedAt: op.startedAt ?? nowIso(),
      message: `${op.name} running`,
    })
    if (op.attempts > 1) this.appendLog(id, `Resuming after a restart (attempt ${op.attempts})`, 'warn')
    const outputs: Record<string, unknown> = {}
    for (const step of this.steps(id)) {
      if (step.status === 'succeeded') {
        Object.assign(outputs, step.output ?? {})
        continue
      }
      // By name, not position: a step added in a later version never runs in another's place.
      const stepDef = def.steps.find(s => s.name === step.name)
      const resumed = step.attempts > 0
      if (!stepDef || step.attempts >= MAX_STEP_ATTEMPTS) {
        const reason = !stepDef
          ? `step ${step.name} is not known to this version of MCTL`
          : `step ${step.name} was interrupted ${step.attempts} times; not trying again`
        this.atomically(() => {
          this.endStep(id, step.idx, 'failed', reason)
          this.finish(id, 'failed', { error: reason })
        })
        return
      }
      this.atomically(() => {
        this.startStep(id, step.idx, step.attempts + 1)
        this.appendLog(id, `${step.name}: started${resumed ? ' (again, after an interruption)' : ''}`)
      })
      try {
        const result = await stepDef.run({
          operation: op,
          params: op.params,
          outputs,
          resumed,
          services: this.services,
          log: message => this.appendLog(id, `${step.name}: ${message}`),
        }) ?? {}
        Object.assign(outputs, result.output ?? {})
        this.atomically(() => {
          this.endStep(id, step.idx, 'succeeded', result.message, result.output)
          if (result.message) this.appendLog(id, `${step.name}: ${result.message}`)
          if (result.commit) op = this.update(id, { commitSha: result.commit })
        })
      }
      catch (err) {
        const message = errorMessage(err)
        this.atomically(() => {
          this.endStep(id, step.idx, 'failed', message)
          this.appendLog(id, `${step.name}: failed: ${message}`, 'error')
          this.finish(id, 'failed', { error: `${step.name}: ${message}` })
        })
        return
      }
      if (this.stopped) return // shutting down: the rest runs after the restart
    }
    this.finish(id, 'succeeded', { result: outputs, message: def.summary?.(op.params, outputs) ?? `${op.name} succeeded` })
  }

  finish(id: string, status: 'succeeded' | 'failed', values: Partial<Operation>) {
    this.finished(this.update(id, { status, finishedAt: nowIso(), message: values.message ?? values.error, ...values }))
  }

  /** After an operation ended (here, or in a Workflow pod): log it and release what waited for it. */
  finished(op: Operation) {
    this.log.info('operation.finished', { operation: op.id, name: op.name, status: op.status, tenant: op.tenant, error: op.error ?? undefined })
    const waiting = this.db.select({ id: operations.id }).from(operations)
      .where(and(eq(operations.afterId, op.id), eq(operations.status, 'queued'))).all()
    for (const next of waiting) this.enqueue(next.id)
  }
}

/**
 * The engine's statements, built once: drizzle otherwise builds a query's SQL anew on every
 * call, and these run a dozen times per operation. Values that are SQL fragments are passed
 * as stored (JSON as text).
 */
function statements(db: Db) {
  const p = sql.placeholder
  const step = and(eq(operationSteps.operationId, p('id')), eq(operationSteps.idx, p('idx')))
  return {
    insert: db.insert(operations).values({
      id: p('id'), workflowName: p('workflowName'), name: p('name'), tenant: p('tenant'), incarnation: p('incarnation'), service: p('service'),
      params: p('params'), requestedBy: p('requestedBy'), requesterName: p('requesterName'),
      requesterEmail: p('requesterEmail'), client: p('client'), engine: p('engine'), afterId: p('afterId'), message: p('message'),
    }).onConflictDoNothing().returning().prepare(),
    insertStep: db.insert(operationSteps).values({ operationId: p('id'), idx: p('idx'), name: p('name') }).prepare(),
    get: db.select().from(operations).where(eq(operations.id, p('id'))).prepare(),
    steps: db.select().from(operationSteps).where(eq(operationSteps.operationId, p('id'))).orderBy(asc(operationSteps.idx)).prepare(),
    startStep: db.update(operationSteps).set({ status: 'running', attempts: sql`${p('attempts')}`, startedAt: sql`${p('at')}` }).where(step).prepare(),
    endStep: db.update(operationSteps)
      .set({ status: sql`${p('status')}`, message: sql`${p('message')}`, output: sql`${p('output')}`, finishedAt: sql`${p('at')}` })
      .where(step).prepare(),
    log: db.insert(operationLogs).values({ operationId: p('id'), message: p('message'), level: p('level') }).prepare(),
  }
}
