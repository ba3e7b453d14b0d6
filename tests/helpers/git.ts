// Reads the GitOps repository a test server wrote, with the real git CLI.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trimEnd()
}

export interface LoggedCommit { sha: string, author: string, email: string, subject: string, body: string, files: string[] }

/** Commits on `ref`, newest first, with the files each touched. */
export function commits(dir: string, ref = 'main'): LoggedCommit[] {
  const out = git(dir, 'log', ref, '--name-only', '--format=%x1e%H%x1f%an%x1f%ae%x1f%s%x1f%B%x1f')
  return out.split('\x1e').filter(Boolean).map((record) => {
    const [sha, author, email, subject, body, files] = record.split('\x1f') as string[]
    return { sha: sha!, author: author!, email: email!, subject: subject!, body: body!, files: files!.split('\n').filter(Boolean) }
  })
}

export function show(dir: string, rev: string, path: string): string {
  return git(dir, 'show', `${rev}:${path}`)
}

export function trailer(body: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.+)$`, 'm').exec(body)?.[1]
}

/**
 * A person's commit to the bare GitOps repository (a hand edit MCTL must accept): edits
 * `files` (a new file starts empty; null removes) in a fresh clone under `work` and pushes
 * to `branch`. Returns the new commit.
 */
export function handCommit(bare: string, work: string, files: Record<string, (current: string) => string | null>, message: string, branch = 'main') {
  const clone = join(work, `clone-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`)
  execFileSync('git', ['clone', '-q', '--branch', branch, bare, clone])
  const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Hand Editor', '-c', 'user.email=hand@example.com', ...args], { cwd: clone, encoding: 'utf8' })
  for (const [path, edit] of Object.entries(files)) {
    const file = join(clone, path)
    const next = edit(existsSync(file) ? readFileSync(file, 'utf8') : '')
    if (next === null) {
      run('rm', '-q', path)
      continue
    }
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, next)
  }
  run('add', '-A')
  run('commit', '-qm', message)
  run('push', '-q', 'origin', `HEAD:${branch}`)
  return run('rev-parse', 'HEAD').trim()
}
