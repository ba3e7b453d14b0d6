#!/usr/bin/env node
// GitOps write throughput: N concurrent deploy operations on one repository, with the
// repository local and with a bare "remote" (push after every commit). Prints committed
// operations per second and submit→commit latencies, and checks that every operation's
// commit is on the branch exactly once (none lost, none twice).
//
//   node bench/gitops.mjs                    # both modes, 100 deploys over 10 services
//   options: --operations 100 --services 10 --mode local|remote|both
//            --profile DIR   write a CPU profile of the server (node --cpu-prof) into DIR
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { ensureBuild } from '../scripts/build.mjs'
import { percentile, sleep, startServer, TOKEN } from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    operations: { type: 'string', default: '100' },
    services: { type: 'string', default: '10' },
    mode: { type: 'string', default: 'both' },
    profile: { type: 'string' },
  },
})
const N = Number(opts.operations)
const S = Number(opts.services)
async function api(url, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'authorization': `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-mctl-client': 'bench' },
    body: body && JSON.stringify(body),
  })
  const json = await res.json()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** Waits (reading the server's own database, read-only) until these operations have finished. */
async function settle(db, ids) {
  const finished = db.prepare(`select count(*) as n from operations where id in (${ids.map(() => '?').join(',')}) and status in ('succeeded','failed','cancelled')`)
  for (let i = 0; i < 6000; i++) {
    if (finished.get(...ids).n === ids.length) return
    await sleep(50)
  }
  throw new Error('operations did not finish in 5 minutes')
}


async function run(mode) {
  const dir = mkdtempSync(join(tmpdir(), `mctl-bench-gitops-${mode}-`))
  const env = {}
  let branchRepo = join(dir, 'data/gitops')
  if (mode === 'remote') {
    branchRepo = join(dir, 'remote.git')
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', branchRepo])
    env.NUXT_GITOPS_REMOTE_URL = branchRepo
  }
  const server = await startServer(join(dir, 'data'), { env, profile: opts.profile })
  const db = new Database(join(dir, 'data/mctl.db'), { readonly: true, fileMustExist: true })
  try {
    // Setup, not measured: a tenant and its services.
    const tenant = await api(server.url, 'POST', '/api/v1/tenants', { tenant_name: 'bench', quota_pods: 100 })
    await settle(db, [tenant.operation_id])
    const onboard = await Promise.all(Array.from({ length: S }, (_, i) => api(server.url, 'POST', '/api/v1/services', {
      action: 'onboard', team_name: 'bench', component_name: `svc-${i}`, image: 'ghcr.io/bench/app', image_tag: '1.0.0',
    })))
    await settle(db, onboard.map(o => o.operation_id))

    // N deploys at once, each a new tag of one of the services.
    const t0 = Date.now()
    const accepted = await Promise.all(Array.from({ length: N }, (_, i) => api(server.url, 'POST', '/api/v1/services', {
      action: 'deploy', team_name: 'bench', component_name: `svc-${i % S}`, image_tag: `2.0.${i}`,
    })))
    const submitted = Date.now()
    const ids = accepted.map(a => a.operation_id)
    await settle(db, ids)
    const rows = db.prepare(`select o.id, o.status, o.error, o.created_at as created, s.started_at as started, s.finished_at as committed from operations o
      join operation_steps s on s.operation_id = o.id and s.name = 'commit' where o.id in (${ids.map(() => '?').join(',')})`).all(...ids)
    const failed = rows.filter(r => r.status !== 'succeeded')
    const succeeded = rows.filter(r => r.status === 'succeeded')
    const sorted = f => succeeded.map(f).sort((a, b) => a - b)
    const latencies = sorted(r => Date.parse(r.committed) - Date.parse(r.created))
    const queued = sorted(r => Date.parse(r.started) - Date.parse(r.created))
    const committing = sorted(r => Date.parse(r.committed) - Date.parse(r.started))
    const last = Math.max(...rows.map(r => Date.parse(r.committed)))

    // Every operation's commit on the branch (of the remote, when there is one) exactly once.
    const trailers = execFileSync('git', ['log', 'main', '--format=%(trailers:key=Mctl-Operation,valueonly)'], { cwd: branchRepo, encoding: 'utf8' })
      .split('\n').map(s => s.trim()).filter(Boolean)
    const counts = new Map()
    for (const t of trailers) counts.set(t, (counts.get(t) ?? 0) + 1)
    const missing = ids.filter(id => !counts.has(id))
    const twice = ids.filter(id => counts.get(id) > 1)
    const fsck = execFileSync('git', ['fsck', '--no-progress'], { cwd: branchRepo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

    console.log(`\n${mode === 'remote' ? 'bare remote (a push per batch of commits)' : 'local repository'}: ${N} concurrent deploys over ${S} services`)
    console.log(`  accepted in            ${submitted - t0} ms (all ${N} answered)`)
    console.log(`  committed              ${N - failed.length}/${N} succeeded${failed.length ? `, failed: ${failed.slice(0, 3).map(f => f.error).join('; ')}` : ''}`)
    console.log(`  on the branch          ${N - missing.length}/${N} commits present, ${missing.length} lost, ${twice.length} twice; git fsck ${fsck.trim() ? `says: ${fsck.trim()}` : 'clean'}`)
    console.log(`  throughput             ${(N / ((last - t0) / 1000)).toFixed(1)} committed operations/s   (target ≥ 25)`)
    console.log(`  submit→commit          p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${latencies.at(-1)} ms   (target p50 < 250 ms)`)
    console.log(`    of which            queued for the engine p50 ${percentile(queued, 0.5)} ms, commit step p50 ${percentile(committing, 0.5)} ms`)
    return { missing: missing.length, twice: twice.length, failed: failed.length }
  }
  finally {
    db.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

await ensureBuild({ log: () => {} })
console.log(`MCTL GitOps write benchmark — ${new Date().toISOString()}, node ${process.version}, load average ${(await import('node:os')).loadavg().map(l => l.toFixed(1)).join(' ')}`)
const modes = opts.mode === 'both' ? ['local', 'remote'] : [opts.mode]
let bad = 0
for (const mode of modes) {
  const r = await run(mode)
  bad += r.missing + r.twice + r.failed
}
process.exit(bad ? 1 : 0)
