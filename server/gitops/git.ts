import { spawn } from 'node:child_process'

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
