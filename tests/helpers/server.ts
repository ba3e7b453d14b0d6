// Runs the built server (.output) as a child process for integration tests: own port, own
// data directory, settings from the environment exactly as in production.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { root } from '../../scripts/build.mjs'

export const ADMIN_TOKEN = 'mctl-test-bootstrap-token-0123456789abcdef'

const ENTRY = join(root, '.output/server/index.mjs')
// Generous: the machines running the suite are shared, and start-up waits on git and SQLite.
const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

export interface TestServer {
  url: string
  port: number
  dataDir: string
  /** The complete environment the server process gets. */
  env: Record<string, string>
  /** Exit code of the current process (null when killed by a signal). */
  exited: Promise<number | null>
  /** stdout and stderr so far, across restarts. */
  output(): string
  /** SIGTERM, then wait for the exit (SIGKILL if it hangs). */
  stop(): Promise<void>
  /** SIGKILL, then wait for the exit: a crash. */
  kill(): Promise<void>
  /** (Re)start with the same port, data directory and environment; waits until ready. */
  start(): Promise<void>
  /** Waits until /readyz answers 200; fails, with the output, if the process exits first or never gets there. */
  ready(): Promise<void>
}

export interface StartOptions {
  /** Added to the environment; a value of '' removes the key. */
  env?: Record<string, string>
  dataDir?: string
  /** A file descriptor the server's stdout and stderr go to, instead of `output()`. */
  logsTo?: number
  /** false: return right after spawning (for tests that expect start-up to fail). */
  waitReady?: boolean
}

// Servers still running when the test process ends are killed and temp dirs removed.
const live = new Set<ChildProcess>()
const tempDirs = new Set<string>()
let cleanupInstalled = false

function cleanUp() {
  for (const child of live) child.kill('SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
}

// Installed on first use, so importing ADMIN_TOKEN (Playwright config) has no side effects.
function installCleanup() {
  if (cleanupInstalled) return
  cleanupInstalled = true
  process.on('exit', cleanUp)
  // Vitest ends its fork workers with SIGTERM, which skips 'exit' handlers: clean up, then
  // die of the same signal as if nothing had been listening.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      cleanUp()
      process.kill(process.pid, signal)
    })
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function tempDir(prefix = 'mctl-test-'): Promise<string> {
  installCleanup()
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

function serverEnv(port: number, dataDir: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    // The developer's own settings must not leak in; Nitro also prefers NITRO_PORT to PORT.
    if (value !== undefined && !key.startsWith('NUXT_') && !key.startsWith('NITRO_')) env[key] = value
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    NUXT_DATA_DIR: dataDir,
    NUXT_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    NUXT_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    // Suites that fire many calls must not trip the production limits; the rate-limit tests
    // set their own low values.
    NUXT_RATE_LIMIT_READS_PER_MINUTE: '100000',
    NUXT_RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    NUXT_RATE_LIMIT_AUTH_PER_MINUTE: '100000',
  })
  for (const [key, value] of Object.entries(extra)) {
    if (value === '') delete env[key]
    else env[key] = value
  }
  return env
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

class ServerProcess implements TestServer {
  readonly url: string
  exited: Promise<number | null> = Promise.resolve(null)
  private child?: ChildProcess
  private log = ''

  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly env: Record<string, string>,
    private readonly logsTo?: number,
  ) {
    this.url = `http://127.0.0.1:${port}`
  }

  output() {
    return this.log
  }

  async start() {
    this.spawn()
    await this.ready()
  }

  spawn() {
    if (this.isRunning()) {
      throw new Error(`server on port ${this.port} is already running`)
    }
    installCleanup()
    const logs = this.logsTo ?? 'pipe'
    const child = spawn(process.execPath, [ENTRY], { cwd: root, env: this.env, stdio: ['ignore', logs, logs] })
    this.child = child
    live.add(child)
    child.stdout?.on('data', (chunk: Buffer) => { this.log += chunk.toString() })
    child.stderr?.on('data', (chunk: Buffer) => { this.log += chunk.toString() })
    // 'close' rather than 'exit': it fires once stdout and stderr are drained into the log.
    this.exited = new Promise((resolve) => {
      child.on('close', (code) => {
        live.delete(child)
        resolve(code)
      })
    })
  }

  async stop() {
    if (!this.isRunning()) return
    this.child!.kill('SIGTERM')
    const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)])
    if (!exitedInTime) await this.kill()
  }

  async kill() {
    if (!this.isRunning()) return
    this.child!.kill('SIGKILL')
    await this.exited
  }

  private isRunning() {
    return this.child !== undefined && live.has(this.child)
  }

  // Ready is whatever /readyz says; early exit and timeout both fail with the server's output.
  async ready() {
    const deadline = Date.now() + READY_TIMEOUT_MS
    let exitCode: number | null | undefined
    this.exited.then((code) => { exitCode = code })
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(`server exited with code ${exitCode} before it was ready. Output:\n${this.log}`)
      }
      try {
        const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) })
        if (response.status === 200) return
      }
      catch {
        // Not listening yet.
      }
      await sleep(100)
    }
    await this.kill()
    throw new Error(`server was not ready within ${READY_TIMEOUT_MS / 1000} s. Output:\n${this.log}`)
  }
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const port = await freePort()
  const dataDir = opts.dataDir ?? await tempDir('mctl-data-')
  const server = new ServerProcess(port, dataDir, serverEnv(port, dataDir, opts.env), opts.logsTo)
  if (opts.waitReady === false) server.spawn()
  else await server.start()
  return server
}
