import { setTimeout as delay } from 'node:timers/promises'
import { checkPolicy } from './policy'
import type { Author, Changes, GitRepo } from './repo'
import type { RepoIndex } from './state'

export interface WriteRequest {
  operationId: string
  message: string
  author: Author
  /** Desired file changes, computed from the index at the head being committed on. */
  build: (index: RepoIndex) => Changes | Promise<Changes>
  /** Set when a step runs again after a crash: its commit may already be on the branch. */
  resume?: boolean
  /** A commit to merge (second parent): an approved proposal branch, re-rendered onto the head. */
  merge?: string
}

export interface BranchRequest {
  branch: string
  message: string
  author: Author
  build: (index: RepoIndex) => Changes | Promise<Changes>
}

export interface BranchResult { sha: string, base: string, paths: string[] }

export interface WriteResult { sha: string, changed: boolean, paths: string[] }

const MAX_ATTEMPTS = 8

/**
 * The write path of GITOPS.md: writes are serialized, built from the current head, policy
 * checked, committed and published. When the branch moved underneath (another MCTL, a person
 * pushing, the remote), the change is built again from the new head — a re-render, which is
 * always correct where a textual rebase may not be — with bounded, jittered backoff.
 */
export class GitOpsStore {
  private tail: Promise<unknown> = Promise.resolve()
  private commits = 0
  private timers: NodeJS.Timeout[] = []

  constructor(readonly repo: GitRepo, readonly index: RepoIndex) {}

  /** Runs `fn` with the repository to itself. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => {})
    return run
  }

  write(req: WriteRequest): Promise<WriteResult> {
    return this.exclusive(async () => {
      if (req.resume) {
        await this.repo.fetch()
        const done = await this.repo.findOperationCommit(req.operationId)
        if (done) {
          await this.index.refresh()
          return { sha: done, changed: true, paths: [] }
        }
      }
      for (let attempt = 1; ; attempt++) {
        await this.index.refresh()
        const base = this.index.sha
        const changes = await req.build(this.index)
        checkPolicy(changes, this.index)
        const sha = await this.repo.commit(base, req.message, req.author, changes, new Date(), req.merge)
        const paths = await this.repo.changedPaths(base, sha)
        if (!paths.length) return { sha: base!, changed: false, paths }
        if (await this.repo.publish(sha, base)) {
          await this.index.advanceWith(sha, paths, changes)
          if (++this.commits % 50 === 0) await this.repo.maintain()
          return { sha, changed: true, paths }
        }
        if (attempt >= MAX_ATTEMPTS) throw new Error(`Could not publish the commit: the branch kept moving (${attempt} attempts)`)
        await delay(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()))
        await this.repo.fetch()
      }
    })
  }

  /**
   * A proposal: the same build and policy check as a write, committed on the head but
   * published to a side branch only — `main` does not move. Null when it changes nothing.
   */
  branch(req: BranchRequest): Promise<BranchResult | null> {
    return this.exclusive(async () => {
      await this.repo.fetch()
      await this.index.refresh()
      const base = this.index.sha!
      const changes = await req.build(this.index)
      checkPolicy(changes, this.index)
      const sha = await this.repo.commit(base, req.message, req.author, changes)
      const paths = await this.repo.changedPaths(base, sha)
      if (!paths.length) return null
      await this.repo.setBranch(req.branch, sha)
      return { sha, base, paths }
    })
  }

  /** Picks up commits made elsewhere (remote pushes, hand-made commits). */
  sync(fetch: boolean): Promise<boolean> {
    return this.exclusive(async () => {
      if (fetch) await this.repo.fetch()
      return this.index.refresh()
    })
  }

  startBackgroundSync(pollSeconds: number, fetchSeconds: number, onError: (err: unknown) => void) {
    const every = (seconds: number, fn: () => Promise<unknown>) => {
      if (seconds <= 0) return
      // A sync slower than its interval (a loaded machine, a slow remote) must not queue
      // another behind it: the queue would grow and hold every write back.
      let running = false
      this.timers.push(setInterval(() => {
        if (running) return
        running = true
        fn().catch(onError).finally(() => { running = false })
      }, seconds * 1000).unref())
    }
    every(pollSeconds, () => this.sync(false))
    if (this.repo.isRemote) every(fetchSeconds, () => this.sync(true))
  }

  stop() {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
  }
}
