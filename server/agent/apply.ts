import { applicationName } from '../gitops/names'
import type { RepoIndex } from '../gitops/state'
import { syncStep } from '../operations/steps'
import { defineOperation } from '../operations/types'
import { requireService } from '../domain/services/view'
import { fixMessage } from './propose'
import { patchChanges, type ServicePatch } from './patch'

export interface ApplyParams {
  incident: string
  tenant: string
  service: string
  title: string
  skill: string
  patch: ServicePatch
  /** The proposal branch's commit: merged as the second parent (null for a sync-only fix: nothing to merge). */
  commit: string | null
  branch: string
}

/** The fix re-applied to the service as it is at the head being committed on. */
export function fixChanges(p: ApplyParams, index: RepoIndex) {
  return patchChanges(index, p.tenant, p.service, requireService(index, p.tenant, p.service), p.patch).changes
}

/**
 * An approved proposal, merged through the normal write path: built from the current head
 * (the edit re-applied, which is the rebase when main moved since the proposal), policy
 * checked, published with retries — a merge commit whose second parent is the branch, so
 * the branch (and a GitHub pull request of it) shows as merged. Author: who approved.
 */
export const applyFixOperation = defineOperation<ApplyParams>({
  name: 'apply-fix',
  description: 'Merge an approved fix of the incident agent into the main branch (re-rendered on the current head, policy checked)',
  riskLevel: 'medium',
  steps: [
    {
      name: 'merge',
      async run({ operation: op, params: p, services, resumed }) {
        if (!p.commit) return { message: 'Nothing to merge: the fix is an Argo CD sync' }
        const result = await services.store.write({
          operationId: op.id,
          author: { name: op.requesterName, email: op.requesterEmail },
          message: fixMessage({ tenant: p.tenant, service: p.service, title: p.title, incident: p.incident, skill: p.skill, operationId: op.id, requestedBy: op.requestedBy, client: op.client }),
          build: index => fixChanges(p, index),
          resume: resumed,
          merge: p.commit,
        })
        if (!result.changed) return { message: 'Nothing to change: main already has this fix', output: { commit: result.sha, unchanged: true } }
        return { message: `Merged ${p.branch} as ${result.sha.slice(0, 12)}`, commit: result.sha, output: { commit: result.sha } }
      },
    },
    {
      name: 'sync',
      async run(ctx) {
        const { params: p, services } = ctx
        if (!p.patch.sync) return syncStep.run(ctx)
        if (!services.cluster) throw new Error('no cluster connected: Argo CD cannot be asked to sync')
        const app = applicationName(p.tenant, p.service)
        await services.cluster.syncApplication(app)
        return { message: `Asked Argo CD to sync ${app} back to git` }
      },
    },
  ],
  summary: p => `Fix for incident ${p.incident.slice(0, 8)} applied to ${p.tenant}/${p.service}: ${p.title}`,
})

/** The agent's operations (not behind a tool: it submits apply-fix when a person approves a fix). */
export const operations = [applyFixOperation]
