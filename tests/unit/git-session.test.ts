import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GitError, GitSession } from '../../server/gitops/git'

function repo() {
  const dir = mkdtempSync(join(tmpdir(), 'mctl-session-'))
  execFileSync('git', ['init', '-q', '--bare', dir])
  return dir
}
const blob = (dir: string, text: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text, encoding: 'utf8' }).trim()
const commit = (dir: string, message: string) => {
  const tree = execFileSync('git', ['mktree'], { cwd: dir, input: '', encoding: 'utf8' }).trim()
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit-tree', tree, '-m', message], { cwd: dir, encoding: 'utf8' }).trim()
}

describe('a long-running git process', () => {
  it('answers requests in order, one process for all of them', async () => {
    const dir = repo()
    const [a, b] = [blob(dir, 'a\n'), blob(dir, 'bb\n')]
    const session = new GitSession(['cat-file', '--batch-check'], { cwd: dir })
    const answers = await Promise.all([session.request(`${a}\n`, 1), session.request(`${b}\n${a}\n`, 2)])
    expect(answers).toEqual([[`${a} blob 2`], [`${b} blob 3`, `${a} blob 2`]])
    await session.close()
  })

  it('rejects with git\'s own words when git gives up, and starts again on the next request', async () => {
    const dir = repo()
    const [a, b] = [commit(dir, 'a'), commit(dir, 'b')]
    const refs = new GitSession(['update-ref', '--stdin'], { cwd: dir })
    const update = (to: string, from: string) => refs.request(`start\nupdate refs/heads/main ${to} ${from}\nprepare\ncommit\n`, 3)
    expect(await update(a, '0'.repeat(40))).toEqual(['start: ok', 'prepare: ok', 'commit: ok'])
    const refused = await update(b, b).catch(err => err)
    expect(refused).toBeInstanceOf(GitError)
    expect(refused.stderr).toMatch(/cannot lock ref 'refs\/heads\/main': is at [0-9a-f]{40} but expected/)
    expect(await update(b, a)).toEqual(['start: ok', 'prepare: ok', 'commit: ok'])
    expect(execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(b)
    await refs.close()
  })

  it('ends a process that owes an answer for too long', async () => {
    const dir = repo()
    const session = new GitSession(['cat-file', '--batch-check'], { cwd: dir, timeoutMs: 300 })
    // One line asked, two awaited: the second never comes.
    const late = await session.request(`${blob(dir, 'x\n')}\n`, 2).catch(err => err)
    expect(late).toBeInstanceOf(GitError)
    expect(late.message).toMatch(/git cat-file failed \(killed\)/)
    expect(await session.request(`${blob(dir, 'y\n')}\n`, 1)).toHaveLength(1)
    await session.close()
  })
})
