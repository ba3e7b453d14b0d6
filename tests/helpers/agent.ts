// Shared steps of the incident agent tests: alerts in, hand edits of the GitOps repository,
// and polling an incident until it reaches a stage.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { git } from './git'
import type { McpSession } from './mcp'
import { tempDir } from './server'
import { eventually } from './users'

export const INTAKE_TOKEN = 'alertmanager-shared-secret-0123456789'

export interface AlertOptions { status?: 'firing' | 'resolved', labels: Record<string, string>, fingerprint: string, startsAt?: string, summary?: string }

/** Posts Alertmanager webhook alerts; returns the intake's answer. */
export async function postAlerts(url: string, alerts: AlertOptions[]) {
  const res = await fetch(`${url}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      version: '4', status: 'firing', receiver: 'mctl', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
      alerts: alerts.map(a => ({ status: a.status ?? 'firing', labels: a.labels, annotations: { summary: a.summary ?? `${a.labels.alertname} in ${a.labels.namespace}` }, startsAt: a.startsAt ?? new Date().toISOString(), fingerprint: a.fingerprint })),
    }),
  })
  if (res.status !== 200) throw new Error(`intake answered ${res.status}: ${await res.text()}`)
  return res.json() as Promise<{ created: string[], updated: string[], resolved: string[] }>
}

/** A commit made by a person in a clone of `repo` (a path), pushed to its main branch. */
export async function handCommit(repo: string, message: string, edit: (file: { read(path: string): string, write(path: string, text: string | null): void }) => void) {
  const work = join(await tempDir(), 'clone')
  git(dirname(work), 'clone', '-q', repo, work)
  edit({
    read: path => readFileSync(join(work, path), 'utf8'),
    write(path, text) {
      if (text === null) return rmSync(join(work, path), { force: true })
      mkdirSync(dirname(join(work, path)), { recursive: true })
      writeFileSync(join(work, path), text)
    },
  })
  git(work, 'add', '-A')
  git(work, '-c', 'user.name=Hand', '-c', 'user.email=hand@example.com', 'commit', '-qm', message)
  git(work, 'push', '-q', 'origin', 'main')
}

/** Edits a tenant.yaml by hand (what a platform admin does to set the Telegram chat). */
export function editTenant(repo: string, tenant: string, change: (spec: any) => void) {
  return handCommit(repo, `tenant: ${tenant} telegram chat`, (f) => {
    const path = `tenants/${tenant}/tenant.yaml`
    const spec = parse(f.read(path))
    change(spec)
    f.write(path, stringify(spec))
  })
}

/** The incident in full through mctl_get_incident (so its output schema is checked by the client). */
export async function incident(session: McpSession, id: string) {
  const answer = await session.call('mctl_get_incident', { id, detail: true })
  if (answer.isError) throw new Error(answer.text)
  return answer.data
}

/** Polls until the incident is at `stage` (or done); returns it. Generous: a stage may wait on git and fakes on a loaded machine. */
export function atStage(session: McpSession, id: string, stage: string, timeoutMs = 150_000) {
  return eventually(async () => {
    const i = await incident(session, id)
    // Done is final: waiting longer for another stage would only hide the reason.
    if (i.stage === 'done' && stage !== 'done') throw new Error(`incident ${id} is done (${i.outcome}) instead of ${stage}: ${i.stageReason}`)
    return i.stage === stage ? i : undefined
  }, timeoutMs)
}
