// What the benchmarks share: the built server started on a data directory (rate limits out
// of the way: they measure the work, not the limiter), and a generated GitOps repository.
import { execFileSync, spawn } from 'node:child_process'
import { root } from '../scripts/build.mjs'

export const TOKEN = 'bench-bootstrap-token-0123456789abcdef'
export const sleep = ms => new Promise(r => setTimeout(r, ms))

/** Starts `.output/server/index.mjs`; `profile`: a directory for its CPU profile (node --cpu-prof). */
export function spawnServer(dataDir, port, { env = {}, profile } = {}) {
  return spawn(process.execPath, [...profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [], '.output/server/index.mjs'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', NUXT_DATA_DIR: dataDir, NUXT_BOOTSTRAP_ADMIN_TOKEN: TOKEN,
      NUXT_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, NUXT_RATE_LIMIT_READS_PER_MINUTE: '10000000', NUXT_RATE_LIMIT_WRITES_PER_MINUTE: '10000000', ...env,
    },
  })
}

/** Milliseconds from `since` until the server's /readyz answers 200. */
export async function untilReady(port, child, since = performance.now()) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`)
    try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return performance.now() - since }
    catch {}
    if (performance.now() - since > 300_000) throw new Error('the server was not ready in 5 minutes')
    await sleep(20)
  }
}

/** SIGTERM (a graceful stop: the CPU profile is written then), resolved on exit. */
export const stopServer = child => new Promise((resolve) => {
  if (child.exitCode !== null) return resolve()
  child.once('exit', resolve)
  child.kill('SIGTERM')
})

/** The value below which a fraction `p` of the (sorted) samples lie. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

export const randomPort = () => 30000 + Math.floor(Math.random() * 20000)

/** A server on a random port, ready. */
export async function startServer(dataDir, opts) {
  const port = randomPort()
  const child = spawnServer(dataDir, port, opts)
  await untilReady(port, child).catch((err) => { child.kill('SIGKILL'); throw err })
  return { url: `http://127.0.0.1:${port}`, port, child, stop: () => stopServer(child) }
}

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

/**
 * One commit on top of `main` of a repository MCTL has set up (its skeleton), through git
 * fast-import: TENANTS tenants of PER services each (team-0000/svc-00, …), as MCTL writes
 * them (tenant.yaml, service.yaml, rendered manifests).
 */
export function generateRepo(repo, TENANTS, PER) {
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

