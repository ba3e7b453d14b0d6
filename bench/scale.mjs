#!/usr/bin/env node
// Scale: a generated GitOps repository of 2,000 tenants / 20,000 services (spec files and
// rendered manifests, as MCTL writes them), then the built server started on it: cold start
// to ready (first start on the repository: every spec parsed; restart: from the index
// snapshot), mctl_list_services latency over MCP (a page, a tenant, a deep cursor), one
// deploy on the big repository, and the server's memory.
//
//   node bench/scale.mjs                     # 2,000 tenants × 10 services
//   options: --tenants 2000 --services 10 (per tenant) --samples 300
//            --profile DIR   CPU profiles of the server's starts on the generated repository
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureBuild } from '../scripts/build.mjs'
import { generateRepo, percentile, randomPort, spawnServer, stopServer as stop, TOKEN, untilReady } from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    tenants: { type: 'string', default: '2000' },
    services: { type: 'string', default: '10' },
    samples: { type: 'string', default: '300' },
    profile: { type: 'string' },
  },
})
const TENANTS = Number(opts.tenants)
const PER = Number(opts.services)
const SAMPLES = Number(opts.samples)

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)[1])
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
function mcpCall(port, name, args) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } })
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp', agent, headers: {
      'authorization': `Bearer ${TOKEN}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18',
    } }, (res) => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const ms = performance.now() - t0
        const text = Buffer.concat(chunks).toString()
        const json = JSON.parse(text.startsWith('event:') ? text.split('\ndata: ')[1] : text)
        if (res.statusCode !== 200 || json.result?.isError) reject(new Error(`${name}: ${res.statusCode} ${text.slice(0, 300)}`))
        else resolve({ ms, data: json.result.structuredContent })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function latency(port, label, args) {
  for (let i = 0; i < 20; i++) await mcpCall(port, 'mctl_list_services', args) // warm-up
  const times = []
  let last
  for (let i = 0; i < SAMPLES; i++) {
    const r = await mcpCall(port, 'mctl_list_services', args)
    times.push(r.ms)
    last = r.data
  }
  times.sort((a, b) => a - b)
  console.log(`  mctl_list_services ${label.padEnd(28)} p50 ${percentile(times, 0.5).toFixed(1).padStart(6)} ms   p99 ${percentile(times, 0.99).toFixed(1).padStart(6)} ms   (${last.count} of ${last.total})`)
  return percentile(times, 0.5)
}

await ensureBuild({ log: () => {} })
const dir = mkdtempSync(join(tmpdir(), 'mctl-bench-scale-'))
const dataDir = join(dir, 'data')
const port = randomPort()
console.log(`MCTL scale benchmark — ${new Date().toISOString()}, node ${process.version}, load average ${loadavg().map(l => l.toFixed(1)).join(' ')}`)
let server
try {
  // First start on an empty data directory: the skeleton repository, the database, the admin.
  server = spawnServer(dataDir, port)
  await untilReady(port, server, performance.now())
  await stop(server)

  const g0 = performance.now()
  generateRepo(join(dataDir, 'gitops'), TENANTS, PER)
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: join(dataDir, 'gitops'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n').filter(Boolean).length
  console.log(`generated ${TENANTS} tenants / ${TENANTS * PER} services (${files} files) in ${((performance.now() - g0) / 1000).toFixed(1)} s`)

  const t0 = performance.now()
  server = spawnServer(dataDir, port, { profile: opts.profile })
  const first = await untilReady(port, server, t0)
  console.log(`  first start on it (parses every spec)            ${(first / 1000).toFixed(2)} s`)
  await stop(server)
  const t1 = performance.now()
  server = spawnServer(dataDir, port, { profile: opts.profile })
  const cold = await untilReady(port, server, t1)
  const afterStart = rssMb(server.pid)
  console.log(`  cold start to ready (restart, index snapshot)    ${(cold / 1000).toFixed(2)} s   (target < 8 s)`)
  const p50 = await latency(port, 'first page (200)', {})
  await latency(port, 'one tenant', { team: 'team-1234' })
  await latency(port, 'deep cursor (page 90 of 100)', { cursor: 'team-1800/svc-00' })

  // One write on the big repository: submit → commit.
  const w0 = performance.now()
  const deploy = await mcpCall(port, 'mctl_deploy_service', { action: 'deploy', team_name: 'team-0500', component_name: 'svc-05', image_tag: '1.0.1', wait_seconds: 25 })
  console.log(`  deploy on the big repository (wait_seconds)      ${(performance.now() - w0).toFixed(0)} ms, ${deploy.data.status}`)

  const mem = rssMb(server.pid)
  console.log(`  RSS after start ${afterStart.rss.toFixed(0)} MB, after the calls ${mem.rss.toFixed(0)} MB, peak ${mem.peak.toFixed(0)} MB   (target < 350 MB)`)
  console.log(`summary: first start ${(first / 1000).toFixed(2)} s, cold start ${(cold / 1000).toFixed(2)} s, list_services p50 ${p50.toFixed(1)} ms, RSS ${mem.rss.toFixed(0)} MB (peak ${mem.peak.toFixed(0)} MB)`)
}
finally {
  agent.destroy()
  if (server && server.exitCode === null) await stop(server)
  rmSync(dir, { recursive: true, force: true })
}
