// The server's logs go to a pipe whose reader goes away (a log shipper that exited): every
// write to stdout and stderr fails with EPIPE from then on. The lines are lost; the service
// must not be — it starts, serves, runs operations and stops as usual.
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { root } from '../../scripts/build.mjs'
import { ADMIN_TOKEN, ENTRY, freePort, serverEnv, tempDir } from '../helpers/server'

let child: ReturnType<typeof spawn> | undefined
afterAll(() => { child?.kill('SIGKILL') })

describe('logs nobody reads any more', () => {
  it('do not stop the server from starting, serving, running operations and stopping', { timeout: 120_000 }, async () => {
    const dir = await tempDir()
    const fifo = join(dir, 'logs')
    execFileSync('mkfifo', [fifo])
    // A reader first (without one, opening for writing waits), then the server's end.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const writer = openSync(fifo, constants.O_WRONLY)
    const port = await freePort()
    child = spawn(process.execPath, [ENTRY], { cwd: root, env: serverEnv(port, join(dir, 'data')), stdio: ['ignore', writer, writer] })
    const exited = new Promise<number | null>(resolve => child!.on('exit', resolve))
    closeSync(writer)
    closeSync(reader) // the reader is gone: the server's next write fails

    const url = `http://127.0.0.1:${port}`
    const deadline = Date.now() + 60_000
    let ready = false
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(r => r.ok, () => false)
      if (!ready) await new Promise(resolve => setTimeout(resolve, 100))
    }
    expect(ready, 'the server answered /readyz').toBe(true)

    // An operation logs as it runs.
    const res = await fetch(`${url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: 'quiet', wait_seconds: 25 }),
    })
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(202)
    expect(body).toMatchObject({ status: 'succeeded', commit: expect.stringMatching(/^[0-9a-f]{40}$/) })

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
