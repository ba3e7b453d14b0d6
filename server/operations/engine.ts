import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { operationLogs, operations, operationSteps, type Operation, type OperationStep } from '../db/schema'
import type { CoreServices } from '../core'
import { errorMessage } from '../utils/errors'
import type { Logger } from '../utils/logger'
import type { OperationDef } from './types'

/** Runs an operation somewhere else (an Argo Workflow) and reflects its progress here. */
export interface RemoteRunner {
  execute(op: Operation, engine: Engine): Promise<void>
}

export interface SubmitRequest {
  name: string
  params: Record<string, unknown>
  tenant?: string
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
  services!: CoreServices
  /** Set for NUXT_ENGINE=argo: operations are handed to it instead of running here. */
  remote?: RemoteRunner

  constructor(
    private readonly db: Db,
    private readonly defs: Map<string, OperationDef>,
    private readonly log: Logger,
    private readonly concurrency = 64,
  ) {
    super()
    this.setMaxListeners(0)
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
        const row = tx.insert(operations).values({
          id: `op_${hex}`,
          workflowName: `${req.name}-${hex}`,
          name: req.name,
          tenant: req.tenant,
          service: req.service,
          params: req.params,
          requestedBy: req.requester.id,
          requesterName: req.requester.name,
          requesterEmail: req.requester.email,
          client: req.client,
          engine: this.remote ? 'argo' : 'local',
          afterId: req.after,
          message: req.after ? `${req.name} queued after ${req.after}` : `${req.name} queued`,
        }).onConflictDoNothing().returning().get()
        if (!row) continue
        tx.insert(operationSteps).values(def.steps.map((s, idx) => ({ operationId: row.id, idx, name: s.name }))).run()
        return row
      }
    })
    if (existing) return existing
    this.enqueue(op.id)
    this.emit('update', op)
    return op
  }

  get(id: string): Operation | undefined {
    return this.db.select().from(operations).where(eq(operations.id, id)).get()
  }

  steps(id: string): OperationStep[] {
    return this.db.select().from(operationSteps).where(eq(operationSteps.operationId, id)).orderBy(asc(operationSteps.idx)).all()
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
    this.emit('update', op)
    return op
  }

  setStep(id: string, idx: number, values: Partial<OperationStep>) {
    this.db.update(operationSteps).set(values).where(and(eq(operationSteps.operationId, id), eq(operationSteps.idx, idx))).run()
    this.emit('step', { operationId: id, idx, ...values })
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
    this.db.insert(operationLogs).values({ operationId: id, message, level }).run()
    this.emit('log', { operationId: id, message, level, time: nowIso() })
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
        this.setStep(id, step.idx, { status: 'failed', message: reason, finishedAt: nowIso() })
        this.finish(id, 'failed', { error: reason })
        return
      }
      this.setStep(id, step.idx, { status: 'running', attempts: step.attempts + 1, startedAt: nowIso() })
      this.appendLog(id, `${step.name}: started${resumed ? ' (again, after an interruption)' : ''}`)
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
        this.setStep(id, step.idx, { status: 'succeeded', message: result.message, output: result.output, finishedAt: nowIso() })
        if (result.message) this.appendLog(id, `${step.name}: ${result.message}`)
        if (result.commit) op = this.update(id, { commitSha: result.commit })
      }
      catch (err) {
        const message = errorMessage(err)
        this.setStep(id, step.idx, { status: 'failed', message, finishedAt: nowIso() })
        this.appendLog(id, `${step.name}: failed: ${message}`, 'error')
        this.finish(id, 'failed', { error: `${step.name}: ${message}` })
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
