import { systemIdentity } from '../../auth/identity'
import type { Operation } from '../../db/schema'
import { previewName } from '../../gitops/render/preview'
import type { Db } from '../../db'
import type { PreviewEntry, RepoIndex } from '../../gitops/state'
import type { GitOpsStore } from '../../gitops/store'
import type { Metrics } from '../../metrics'
import type { Engine } from '../../operations/engine'
import type { Gate } from '../../operations/gate'
import type { Settings } from '../../settings'
import type { Logger } from '../../utils/logger'
import { errorMessage } from '../../utils/errors'
import { deletionOf, type PreviewDeleteParams } from './preview'

/** Who the reaper's operations are requested by (the commit author is the platform identity). */
export const REAPER_ID = 'mctl'

/**
 * Deletes expired previews (TOOLS.md: "a background reaper, surviving restarts"). It keeps
 * no state of its own: each pass reads the expiry from the index (preview.yaml `expiresAt`)
 * and submits a preview-delete through the normal operation path, unless a deletion of that
 * preview is already queued, running or done — checked in the submitting transaction, so
 * overlapping passes, a restart or a person's delete never delete one preview twice.
 */
export class PreviewReaper {
  private timer?: NodeJS.Timeout
  private busy = false
  private started = false

  constructor(private readonly services: { settings: Settings, logger: Logger, db: Db, index: RepoIndex, store: GitOpsStore, engine: Engine, metrics: Metrics, gate: Gate }) {}

  start(everySeconds: number) {
    this.started = true
    const tick = () => { this.pass().catch(err => this.services.logger.warn('previews.reap_failed', { error: errorMessage(err) })) }
    this.timer = setInterval(tick, everySeconds * 1000).unref()
    setImmediate(tick) // the first pass at start-up: what expired while MCTL was down goes now
  }

  stop() {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One pass at `now`; the operations it submitted. */
  async pass(now = new Date()): Promise<Operation[]> {
    const services = this.services
    if (!this.started || this.busy) return []
    this.busy = true
    try {
      await services.store.sync(false) // hand-edited expiries count at once
      const expired = [...services.index.allPreviews()].filter(p => Date.parse(p.spec.expiresAt) <= now.getTime())
      const reaped: Operation[] = []
      for (const p of expired) {
        const op = await this.reap(p)
        if (op) reaped.push(op)
      }
      return reaped
    }
    finally {
      this.busy = false
      services.metrics.reaperPasses.inc()
    }
  }

  /**
   * Through the gate, as MCTL's own identity (the commit author is the platform's): the
   * audit log shows who removed the preview and why, like any write.
   */
  private async reap(p: PreviewEntry): Promise<Operation | undefined> {
    const { settings, engine, gate, metrics, logger } = this.services
    const params: PreviewDeleteParams = { team_name: p.tenant, component_name: p.spec.service, preview_id: p.id, reason: `expired ${p.spec.expiresAt}` }
    const guard = deletionOf(p.tenant, p.spec.service, p.id)
    const { committer } = settings.gitops
    const requester = { id: REAPER_ID, name: `${committer.name} preview reaper`, email: committer.email }
    let existing: Operation | undefined
    const op = await gate.pass({
      action: 'preview-reaper',
      caller: { identity: systemIdentity(requester), client: 'reaper' },
      audited: true,
      operation: 'preview-delete',
      risk: 'high',
      params: { ...params },
      authorize: (subject) => { subject.tenant = p.tenant },
      run: () => engine.submit({
        name: 'preview-delete',
        params: { ...params },
        tenant: p.tenant,
        service: p.spec.service,
        requester,
        client: 'reaper',
      }, tx => (existing = guard(tx))),
      outcomes: op => existing ? [] : [{ operationId: op.id, reason: `preview ${previewName(p.spec.service, p.id)} expired at ${p.spec.expiresAt}` }],
    })
    if (existing) return undefined
    metrics.previewsReaped.inc()
    logger.info('previews.reaped', { tenant: p.tenant, preview: p.name, operation: op.id })
    return op
  }
}
