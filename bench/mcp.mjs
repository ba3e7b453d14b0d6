#!/usr/bin/env node
// MCP throughput against bare JSON routes, measured in one run at the same concurrency:
// POST /mcp tools/list against GET /api/v1/tools and GET /healthz, POST /mcp tools/call
// mctl_list_services (its first page, 200 of the 1,000 services of a generated repository)
// against GET /api/v1/services (the same tool over REST).
//
//   node bench/mcp.mjs                       # starts the built server on a generated repository
//   node bench/mcp.mjs --url http://127.0.0.1:3000 --token $MCTL_TOKEN   # whatever it holds
//   options: --concurrency 16 --seconds 5 (one-second slices per scenario)
//            --tenants 100 --services 10 (per tenant) --profile DIR (the server's CPU profile)
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureBuild } from '../scripts/build.mjs'
import { generateRepo, startServer, TOKEN } from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string', default: process.env.MCTL_TOKEN },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    profile: { type: 'string' },
    tenants: { type: 'string', default: '100' },
    services: { type: 'string', default: '10' },
  },
})
const concurrency = Number(opts.concurrency)
const seconds = Number(opts.seconds)

async function startOwnServer() {
  await ensureBuild({ log: () => {} })
  const dataDir = mkdtempSync(join(tmpdir(), 'mctl-bench-'))
  // First start sets up the repository (its skeleton) and the database; then the tenants and
  // services are generated into it and the server started again on them.
  await (await startServer(dataDir)).stop()
  generateRepo(join(dataDir, 'gitops'), Number(opts.tenants), Number(opts.services))
  const server = await startServer(dataDir, { profile: opts.profile })
  return { url: server.url, token: TOKEN, pid: server.child.pid, stop: async () => { await server.stop(); rmSync(dataDir, { recursive: true, force: true }) } }
}

const target = opts.url ? { url: opts.url, token: opts.token, stop: () => {} } : await startOwnServer()
if (!target.token) throw new Error('--token (or MCTL_TOKEN) is required with --url')
const base = new URL(target.url)
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const auth = { 'authorization': `Bearer ${target.token}` }
const mcpHeaders = { ...auth, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' }

function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    // Every request says it takes gzip, as fetch() (and so the MCP SDK's client) does.
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers: { 'accept-encoding': 'gzip, deflate', ...headers }, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** CPU seconds the server process has used (user + system), from /proc. */
function serverCpu() {
  if (!target.pid) return 0
  const fields = readFileSync(`/proc/${target.pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

// Scenarios alternate in one-second slices, so a neighbour's load on this shared machine
// hits all of them alike and the ratios stay meaningful.
async function slice(send, ms) {
  let done = 0, failed = 0
  const cpu0 = serverCpu()
  const until = Date.now() + ms
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const status = await send()
      if (status === 200) done++
      else failed++
    }
  }))
  return { done, failed, cpu: serverCpu() - cpu0 }
}

async function measure(scenarios) {
  const totals = scenarios.map(() => ({ done: 0, failed: 0, cpu: 0 }))
  for (let round = 0; round < seconds; round++) {
    for (const [i, [, send]] of scenarios.entries()) {
      const r = await slice(send, 1000)
      totals[i].done += r.done
      totals[i].failed += r.failed
      totals[i].cpu += r.cpu
    }
  }
  return scenarios.map(([name], i) => {
    const rps = totals[i].done / seconds
    const cpuUs = totals[i].cpu / totals[i].done * 1e6
    console.log(`${name.padEnd(36)} ${rps.toFixed(0).padStart(7)} req/s${target.pid ? `  ${cpuUs.toFixed(0).padStart(5)} µs server CPU/request` : ''}${totals[i].failed ? `  (${totals[i].failed} non-200)` : ''}`)
    return { rps, cpuUs }
  })
}

const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_list_services', arguments: {} } })

try {
  const listed = await (await fetch(`${target.url}/api/v1/services`, { headers: auth })).json()
  console.log(`MCTL MCP throughput — ${new Date().toISOString()}, ${target.url}, concurrency ${concurrency}, ${seconds}s per scenario; mctl_list_services answers ${listed.count} of ${listed.total} services`)
  // What every session pays before its first call: the tools/list answer, in bytes and in
  // tokens (≈ bytes / 4), for all tools and for one toolset selection.
  for (const path of ['/mcp', '/mcp?toolsets=services,domains']) {
    const bytes = Buffer.byteLength(await (await fetch(`${target.url}${path}`, { method: 'POST', headers: mcpHeaders, body: list })).text())
    console.log(`catalogue POST ${path} tools/list: ${bytes} bytes ≈ ${Math.round(bytes / 4)} tokens`)
  }
  // tools/list (77 KB) against the catalogue as a plain JSON file route (GET /api/v1/tools,
  // pre-serialized too, no authentication) and against the smallest bare route there is,
  // /healthz (15 bytes): the strictest comparison. tools/call against the same tool over REST
  // (GET /api/v1/services: plain JSON, the same authentication and handler), so that ratio is
  // what the MCP layer costs rather than the size of 200 services.
  const scenarios = [
    ['GET /healthz (bare, 15 bytes)', () => request('GET', '/healthz', {})],
    ['GET /api/v1/tools (bare JSON catalogue)', () => request('GET', '/api/v1/tools', {})],
    ['POST /mcp tools/list', () => request('POST', '/mcp', mcpHeaders, list)],
    ['GET /api/v1/services (bare JSON)', () => request('GET', '/api/v1/services', auth)],
    ['POST /mcp tools/call list_services', () => request('POST', '/mcp', mcpHeaders, call)],
  ]
  for (const [, send] of scenarios) await slice(send, 500) // warm-up (JIT, sockets)
  const [healthz, catalogue, tl, bareCall, tc] = await measure(scenarios)
  const ratio = (name, mcp, bare, route) => console.log(`ratio ${name} / ${route}: ${(mcp.rps / bare.rps).toFixed(2)} by throughput${target.pid ? `, ${(bare.cpuUs / mcp.cpuUs).toFixed(2)} by server CPU per request` : ''}   (target ≥ 0.6)`)
  ratio('tools/list', tl, catalogue, 'GET /api/v1/tools')
  ratio('tools/list', tl, healthz, 'GET /healthz')
  ratio('tools/call', tc, bareCall, 'GET /api/v1/services')
  if (target.pid) console.log('(CPU per request is the steadier figure on a shared machine: a neighbour slows every scenario\'s wall clock, not the work each request costs.)')
}
finally {
  agent.destroy()
  await target.stop()
}
