#!/usr/bin/env node
// Scale: a generated GitOps repository of 2,000 tenants / 20,000 services (spec files and
// rendered manifests, as MCTL writes them), then the built server started on it: cold start
// to ready (first start on the repository: every spec parsed; restart: from the index
// snapshot), mctl_list_services latency over MCP (a page, a tenant, a deep cursor), one
// deploy on the big repository, and the server's memory.
//
//   node bench/scale.mjs                     # 2,000 tenants × 10 services
//   options: --tenants 2000 --services 10 (per tenant) --samples 300
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureBuild, root } from '../scripts/build.mjs'

const { values: opts } = parseArgs({
  options: {
    tenants: { type: 'string', default: '2000' },
    services: { type: 'string', default: '10' },
    samples: { type: 'string', default: '300' },
  },
})
const TENANTS = Number(opts.tenants)
const PER = Number(opts.services)
const SAMPLES = Number(opts.samples)
const TOKEN = 'bench-bootstrap-token-0123456789abcdef'
const sleep = ms => new Promise(r => setTimeout(r, ms))
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

function spawnServer(dataDir, port) {
  return spawn(process.execPath, ['.output/server/index.mjs'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', NUXT_DATA_DIR: dataDir, NUXT_BOOTSTRAP_ADMIN_TOKEN: TOKEN,
      NUXT_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, NUXT_RATE_LIMIT_READS_PER_MINUTE: '1000000', NUXT_RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    },
  })
}

/** Milliseconds from spawn until /readyz answers 200. */
async function untilReady(url, child, since) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`)
    try { if ((await fetch(`${url}/readyz`)).ok) return performance.now() - since }
    catch {}
    if (performance.now() - since > 300_000) throw new Error('not ready in 5 minutes')
    await sleep(20)
  }
}

const stop = child => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM') })

const tenantYaml = t => `displayName: Team ${t}\ndescription: Generated tenant ${t}\ncontactEmail: ${t}@example.com\nmembers:\n  - userId: user-${t}\n    role: owner\ngroups: []\nquotas:\n  cpu: "8"\n  memory: 16Gi\n  pods: 40\nnetworking:\n  allowInternetEgress: false\n`
const serviceYaml = (t, s) => `image:\n  repository: ghcr.io/${t}/${s}\n  tag: 1.0.0\nport: 8080\ncomponentType: web\nhost: ${t}-${s}.apps.example.com\nhealthCheckPath: /healthz\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    cpu: 500m\n    memory: 512Mi\nreplicas: 2\nenv:\n  LOG_LEVEL: info\n  SERVICE_NAME: ${s}\nsecretEnv: []\ndatabase: false\ndomains: []\nconfigRevision: 0\n`
const labels = (t, s) => `  labels:\n    app.kubernetes.io/name: ${s}\n    app.kubernetes.io/part-of: ${t}\n    mctl.dev/tenant: ${t}\n    mctl.dev/service: ${s}\n`
const manifests = (t, s) => ({
  'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${s}\n  namespace: ${t}\n${labels(t, s)}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${s}\n  template:\n    metadata:\n${labels(t, s).replace(/^/gm, '    ')}    spec:\n      containers:\n        - name: ${s}\n          image: ghcr.io/${t}/${s}:1.0.0\n          ports:\n            - containerPort: 8080\n          env:\n            - name: LOG_LEVEL\n              value: info\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: 500m\n              memory: 512Mi\n`,
  'service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${s}\n  namespace: ${t}\n${labels(t, s)}spec:\n  selector:\n    app.kubernetes.io/name: ${s}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
  'ingress.yaml': `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${s}\n  namespace: ${t}\n${labels(t, s)}spec:\n  ingressClassName: nginx\n  tls:\n    - hosts:\n        - ${t}-${s}.apps.example.com\n      secretName: ${s}-tls\n  rules:\n    - host: ${t}-${s}.apps.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${s}\n                port:\n                  number: 80\n`,
})
const tenantManifests = t => ({
  'namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${t}\n  labels:\n    mctl.dev/tenant: ${t}\n`,
  'resourcequota.yaml': `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: tenant-quota\n  namespace: ${t}\nspec:\n  hard:\n    requests.cpu: "8"\n    requests.memory: 16Gi\n    pods: "40"\n`,
})

/** One commit on top of the branch with every tenant and service, through git fast-import. */
function generate(repo) {
  const head = execFileSync('git', ['rev-parse', 'refs/heads/main'], { cwd: repo, encoding: 'utf8' }).trim()
  const parts = []
  const data = (s) => { const b = Buffer.from(s); parts.push(Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n')) }
  const file = (path, content) => { parts.push(Buffer.from(`M 100644 inline ${path}\n`)); data(content) }
  parts.push(Buffer.from(`commit refs/heads/main\ncommitter Bench <bench@example.com> ${Math.floor(Date.now() / 1000)} +0000\n`))
  data(`bench: ${TENANTS} tenants, ${TENANTS * PER} services\n`)
  parts.push(Buffer.from(`from ${head}\n`))
  for (let i = 0; i < TENANTS; i++) {
    const t = `team-${String(i).padStart(4, '0')}`
    file(`tenants/${t}/tenant.yaml`, tenantYaml(t))
    for (const [name, content] of Object.entries(tenantManifests(t))) file(`tenants/${t}/manifests/${name}`, content)
    for (let j = 0; j < PER; j++) {
      const s = `svc-${String(j).padStart(2, '0')}`
      file(`tenants/${t}/services/${s}/service.yaml`, serviceYaml(t, s))
      for (const [name, content] of Object.entries(manifests(t, s))) file(`tenants/${t}/services/${s}/manifests/${name}`, content)
    }
  }
  parts.push(Buffer.from('done\n'))
  execFileSync('git', ['fast-import', '--quiet', '--done'], { cwd: repo, input: Buffer.concat(parts), maxBuffer: 1024 * 1024 * 1024 })
  execFileSync('git', ['gc', '--quiet'], { cwd: repo })
}

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
const port = 45000 + Math.floor(Math.random() * 5000)
const url = `http://127.0.0.1:${port}`
console.log(`MCTL scale benchmark — ${new Date().toISOString()}, node ${process.version}, load average ${loadavg().map(l => l.toFixed(1)).join(' ')}`)
let server
try {
  // First start on an empty data directory: the skeleton repository, the database, the admin.
  server = spawnServer(dataDir, port)
  await untilReady(url, server, performance.now())
  await stop(server)

  const g0 = performance.now()
  generate(join(dataDir, 'gitops'))
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: join(dataDir, 'gitops'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n').filter(Boolean).length
  console.log(`generated ${TENANTS} tenants / ${TENANTS * PER} services (${files} files) in ${((performance.now() - g0) / 1000).toFixed(1)} s`)

  const t0 = performance.now()
  server = spawnServer(dataDir, port)
  const first = await untilReady(url, server, t0)
  console.log(`  first start on it (parses every spec)            ${(first / 1000).toFixed(2)} s`)
  await stop(server)
  const t1 = performance.now()
  server = spawnServer(dataDir, port)
  const cold = await untilReady(url, server, t1)
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
