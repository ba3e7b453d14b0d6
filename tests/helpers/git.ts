// Reads the GitOps repository a test server wrote, with the real git CLI.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

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

/** Edits the server's GitOps repository as a person would: clone, change files, commit, push. */
export function pushChange(dataDir: string, work: string, message: string, files: Record<string, (current: string) => string>) {
  const clone = `${work}/clone-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
  git(work, 'clone', '-q', `${dataDir}/gitops`, clone)
  for (const [path, edit] of Object.entries(files)) {
    let current = ''
    try { current = git(clone, 'show', `HEAD:${path}`) }
    catch { /* a new file */ }
    mkdirSync(dirname(`${clone}/${path}`), { recursive: true })
    writeFileSync(`${clone}/${path}`, edit(current))
  }
  git(clone, 'add', '-A')
  git(clone, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-qm', message)
  git(clone, 'push', '-q', 'origin', 'HEAD:main')
}
