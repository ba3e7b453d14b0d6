// The server's logs go to a pipe whose reader goes away (a log shipper that exited): every
// write to stdout and stderr fails with EPIPE from then on. The lines are lost; the service
// must not be — it starts, serves, runs operations and stops as usual.
import { execFileSync } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startServer, tempDir } from '../helpers/server'

describe('logs nobody reads any more', () => {
  it('do not stop the server from starting, serving, running operations and stopping', { timeout: 120_000 }, async () => {
    const fifo = join(await tempDir(), 'logs')
    execFileSync('mkfifo', [fifo])
    // A reader first (without one, opening for writing waits), then the server's end.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const writer = openSync(fifo, constants.O_WRONLY)
    const server = await startServer({ logsTo: writer, waitReady: false })
    closeSync(writer)
    closeSync(reader) // the reader is gone: the server's next write fails
    await server.ready()

    // An operation logs as it runs.
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: 'quiet', wait_seconds: 25 }),
    })
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(202)
    expect(body).toMatchObject({ status: 'succeeded', commit: expect.stringMatching(/^[0-9a-f]{40}$/) })

    await server.stop() // SIGTERM; killed if it does not end in time
    expect(await server.exited).toBe(0)
  })
})
