import { and, eq, inArray, sql } from 'drizzle-orm'
import { operations } from '../../db/schema'
import { previewApplication, previewChanges, previewHost, previewName } from '../../gitops/render/preview'
import { type PreviewEntry, previewDir, type RepoIndex } from '../../gitops/state'
import type { SubmitGuard } from '../../operations/engine'
import { buildImageStep, commitStep, syncStep } from '../../operations/steps'
import { defineOperation, type ImageBuild } from '../../operations/types'
import { notFound } from '../../utils/errors'
import { requireService } from '../services/view'

export interface PreviewParams {
  team_name: string
  component_name: string
  image_tag: string
  preview_id: string
  expires_at: string
  created_by: string
  /** A preview of a pull request on the service's `dockerfile_repo`: its image is built from the head. */
  pull_request?: { repository: string, number: number, sha: string }
}
export interface PreviewDeleteParams { team_name: string, component_name: string, preview_id: string, reason?: string }

export function previewChangesFor(p: PreviewParams, index: RepoIndex) {
  const parent = requireService(index, p.team_name, p.component_name)
  return previewChanges(p.team_name, p.preview_id, { service: p.component_name, imageTag: p.image_tag, createdBy: p.created_by, expiresAt: p.expires_at }, parent, index.platform)
}

/** A pull request's preview runs the image built from its head (`pr-<n>-<sha7>`); other previews build nothing. */
export function previewImageBuild(p: PreviewParams, index: RepoIndex): ImageBuild | null {
  const parent = index.service(p.team_name, p.component_name)?.spec
  if (!p.pull_request || !parent?.source) return null
  return {
    repository: parent.source.repository,
    gitRef: `refs/pull/${p.pull_request.number}/head`,
    commit: p.pull_request.sha,
    dockerfilePath: parent.source.dockerfilePath,
    destination: `${parent.image.repository}:${p.image_tag}`,
  }
}

export const previewDeployOperation = defineOperation<PreviewParams>({
  name: 'preview-deploy',
  description: 'Deploy a preview of a service at another image tag, on its own host, until it expires: preview.yaml and its manifests in one commit',
  riskLevel: 'low',
  steps: [
    buildImageStep(previewImageBuild),
    commitStep<PreviewParams>({
      title: p => ({ verb: 'preview', subject: `${p.team_name}/${p.component_name}`, detail: `${previewName(p.component_name, p.preview_id)} → ${p.image_tag} (expires ${p.expires_at})` }),
      build: previewChangesFor,
    }),
    syncStep,
  ],
  summary: (p, outputs) => `Preview "${previewName(p.component_name, p.preview_id)}" of "${p.team_name}/${p.component_name}" deployed at ${p.image_tag}; it expires at ${p.expires_at}${
    outputs.image_built === false ? `; MCTL expects ${outputs.image} to exist (built by ${p.pull_request?.repository}'s CI: the local engine does not build images)` : ''}`,
})

export const previewDeleteOperation = defineOperation<PreviewDeleteParams>({
  name: 'preview-delete',
  description: 'Delete a preview: its folder (spec and manifests) removed in one commit; Argo CD prunes its objects',
  riskLevel: 'high',
  steps: [
    commitStep<PreviewDeleteParams>({
      title: p => ({ verb: 'preview-delete', subject: `${p.team_name}/${p.component_name}`, detail: `${previewName(p.component_name, p.preview_id)}${p.reason ? ` (${p.reason})` : ''}` }),
      build: p => new Map([[previewDir(p.team_name, previewName(p.component_name, p.preview_id)), null]]),
    }),
    syncStep,
  ],
  summary: p => `Preview "${previewName(p.component_name, p.preview_id)}" of "${p.team_name}/${p.component_name}" deleted`,
})

const ofPreview = (name: string, tenant: string, service: string, id: string) => and(
  eq(operations.name, name),
  eq(operations.tenant, tenant),
  sql`json_extract(${operations.params}, '$.component_name') = ${service}`,
  sql`json_extract(${operations.params}, '$.preview_id') = ${id}`,
)

/** The deploy of this preview that is queued or running, if any (a deletion waits for it). */
export const pendingDeployOf = (tenant: string, service: string, id: string): SubmitGuard => tx => tx.select().from(operations)
  .where(and(ofPreview('preview-deploy', tenant, service, id), inArray(operations.status, ['queued', 'running'])))
  .orderBy(sql`${operations}.rowid desc`).get()

/**
 * A deletion of this preview that is queued, running or done since it was last deployed (a
 * pull request's preview keeps its name when the pull request is reopened). Checked in the
 * transaction that would submit another, so the reaper (after a restart too), pull request
 * events and people never delete one preview twice.
 */
export const deletionOf = (tenant: string, service: string, id: string): SubmitGuard => tx => tx.select().from(operations).where(and(
  ofPreview('preview-delete', tenant, service, id),
  inArray(operations.status, ['queued', 'running', 'succeeded']),
  sql`${operations}.rowid > coalesce((select max(rowid) from ${operations} where ${ofPreview('preview-deploy', tenant, service, id)}), 0)`,
)).get()

export function requirePreview(index: RepoIndex, tenant: string, service: string, id: string): PreviewEntry {
  requireService(index, tenant, service)
  const entry = index.previews.get(tenant)?.get(previewName(service, id))
  if (!entry || entry.spec.service !== service) throw notFound(`Preview "${previewName(service, id)}" of "${tenant}/${service}" not found (mctl_list_previews shows the previews)`)
  return entry
}

export function previewView(entry: PreviewEntry, index: RepoIndex, now: number) {
  const parent = index.service(entry.tenant, entry.spec.service)
  return {
    id: entry.id,
    name: entry.name,
    service: entry.spec.service,
    imageTag: entry.spec.imageTag,
    host: parent?.spec.componentType === 'web' ? previewHost(entry.tenant, entry.spec.service, entry.id, index.platform.baseDomain) : null,
    createdBy: entry.spec.createdBy,
    expiresAt: new Date(entry.spec.expiresAt).toISOString(),
    expired: Date.parse(entry.spec.expiresAt) <= now,
    application: previewApplication(entry.tenant, entry.spec.service, entry.id),
  }
}
