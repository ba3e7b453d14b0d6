import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Socket } from 'node:net'

export interface GitOptions {
  cwd: string
  input?: string | Buffer
  env?: Record<string, string>
  /** Exit codes that are answers, not failures (e.g. 1 for `diff --quiet`). */
  okCodes?: number[]
  timeoutMs?: number
}

export interface GitResult { stdout: Buffer, code: number }

export class GitError extends Error {
  constructor(readonly args: string[], readonly code: number | null, readonly stderr: string) {
    // URLs may carry credentials (https://user:token@host): never let them into a message.
    const said = stderr.replace(/(\w+:\/\/)[^@\s/]+@/g, '$1***@').trim().split('\n').slice(-3).join(' ')
    super(`git ${args[0]} failed (${code ?? 'killed'}): ${said}`)
  }
}

/**
 * Runs the real `git` CLI. Credentials are passed through GIT_CONFIG_* variables by the
 * caller, never as arguments, so they do not show in process lists or error messages.
 */
export function runGit(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 120_000,
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', d => out.push(d))
    child.stderr.on('data', d => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const stdout = Buffer.concat(out)
      if (code === 0 || (code !== null && opts.okCodes?.includes(code))) resolve({ stdout, code: code ?? 0 })
      else reject(new GitError(args, code, Buffer.concat(err).toString()))
    })
    child.stdin.on('error', () => {}) // git may exit before reading all input; the exit code tells
    child.stdin.end(opts.input ?? '')
  })
}

export async function git(args: string[], opts: GitOptions): Promise<string> {
  return (await runGit(args, opts)).stdout.toString().trimEnd()
}

interface Waiting { lines: number, got: string[], resolve: (lines: string[]) => void, reject: (err: Error) => void, timer: NodeJS.Timeout }

/**
 * A git command that stays up and answers what it reads on stdin, line by line
 * (`fast-import`, `update-ref --stdin`). Starting a process costs tens of milliseconds of
 * blocked event loop in a large server (fork), and every batch of writes would pay it twice.
 * Started on first use and again after it exited (a failed request ends it: git dies on
 * the first error); requests are answered in order. The process keeps the server alive
 * only while a request is in flight.
 */
export class GitSession {
  private child: ChildProcessWithoutNullStreams | null = null
  private waiting: Waiting[] = []
  private partial = ''
  private stderr = ''

  /** `timeoutMs`: an answer owed for longer is not coming; the process is ended (and started again on the next request). */
  constructor(private readonly args: string[], private readonly opts: Pick<GitOptions, 'cwd' | 'env' | 'timeoutMs'>) {}

  /** Writes `input`, then resolves with the next `lines` lines git prints. */
  request(input: string | Buffer, lines: number): Promise<string[]> {
    const child = this.child ?? this.start()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill(), this.opts.timeoutMs ?? 120_000).unref()
      this.waiting.push({ lines, got: [], resolve, reject, timer })
      this.hold(child, true)
      child.stdin.write(input)
    })
  }

  /** Ends the input, so git finishes and exits, and waits for that. */
  async close(): Promise<void> {
    const child = this.child
    if (!child) return
    this.child = null
    await new Promise(resolve => child.once('close', resolve).stdin.end())
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', this.args, {
      cwd: this.opts.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...this.opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    this.child = child
    this.partial = ''
    this.stderr = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => this.read(chunk))
    child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000) })
    child.stdin.on('error', () => {}) // the exit says what went wrong
    child.on('error', err => this.fail(child, err))
    child.on('close', code => this.fail(child, new GitError(this.args, code, this.stderr || 'exited')))
    return child
  }

  private read(chunk: string) {
    const lines = (this.partial + chunk).split('\n')
    this.partial = lines.pop()!
    for (const line of lines) {
      const first = this.waiting[0]
      if (!first) continue
      first.got.push(line)
      if (first.got.length < first.lines) continue
      this.waiting.shift()
      clearTimeout(first.timer)
      first.resolve(first.got)
    }
    if (!this.waiting.length && this.child) this.hold(this.child, false)
  }

  private fail(child: ChildProcessWithoutNullStreams, err: Error) {
    if (this.child && this.child !== child) return // an earlier process ending: what waits is the current one's
    this.child = null
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer)
      w.reject(err)
    }
  }

  private hold(child: ChildProcessWithoutNullStreams, on: boolean) {
    // The pipes are sockets (ref/unref), though typed as plain streams.
    for (const handle of [child, ...[child.stdin, child.stdout, child.stderr] as unknown as Socket[]]) {
      if (on) handle.ref()
      else handle.unref()
    }
  }
}
