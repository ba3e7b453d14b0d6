import { setTimeout as delay } from 'node:timers/promises'
import { checkPolicy } from './policy'
import { assertSafePaths, type Author, type ChainedCommit, type Changes, type GitRepo } from './repo'
import type { RepoIndex } from './state'

export interface WriteRequest {
  operationId: string
  /** The commit message, or a function of the index with this write's changes staged (a name chosen while building). */
  message: string | ((index: RepoIndex) => string)
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

export interface BranchResult { sha: string, base: string }

export interface WriteResult { sha: string, changed: boolean }

interface Pending {
  req: WriteRequest
  resolve: (result: WriteResult) => void
  reject: (err: unknown) => void
}

interface Built { pending: Pending, changes: Changes, message: string }

const MAX_ATTEMPTS = 8
/** Writes committed together at most: one `fast-import` and one publish for all of them. */
const MAX_BATCH = 64

/**
 * The write path of GITOPS.md: writes are serialized, built from the current head, policy
 * checked, committed and published. When the branch moved underneath (another MCTL, a person
 * pushing, the remote), the change is built again from the new head — a re-render, which is
 * always correct where a textual rebase may not be — with bounded, jittered backoff.
 *
 * Writes that queue up while one is being committed are committed together: each is built
 * on the one before it (the index stages their changes), they become a chain of commits —
 * still one commit per operation — made by one `git fast-import` and published by one
 * compare-and-swap or push. A git process costs tens of milliseconds to start from a large
 * server process; per batch instead of per commit is what lets writes keep up under load.
 */
export class GitOpsStore {
  private tail: Promise<unknown> = Promise.resolve()
  private packs = 0
  private timers: NodeJS.Timeout[] = []
  private pending: Pending[] = []
  private scheduled = false

  constructor(readonly repo: GitRepo, readonly index: RepoIndex) {}

  /** Runs `fn` with the repository to itself. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => {})
    return run
  }

  write(req: WriteRequest): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ req, resolve, reject })
      this.schedule()
    })
  }

  /** One batch job in the queue while writes wait; it takes all of them that arrived by its turn. */
  private schedule() {
    if (this.scheduled || !this.pending.length) return
    this.scheduled = true
    void this.exclusive(async () => {
      this.scheduled = false
      const batch = this.pending.splice(0, MAX_BATCH)
      this.schedule()
      try { await this.commitBatch(batch) }
      catch (err) { for (const p of batch) p.reject(err) }
    })
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    let todo = batch
    if (batch.some(p => p.req.resume)) {
      // A step that runs again after a crash: its commit may already be on the branch.
      await this.repo.fetch()
      todo = []
      for (const p of batch) {
        const done = p.req.resume && await this.repo.findOperationCommit(p.req.operationId)
        if (done) p.resolve({ sha: done, changed: true })
        else todo.push(p)
      }
      await this.index.refresh()
    }
    for (let attempt = 1; todo.length; attempt++) {
      await this.index.refresh()
      const base = this.index.sha
      const built = await this.build(todo)
      if (!built.length) return
      todo = built.map(b => b.pending)
      let published: boolean
      try { published = await this.publish(base, built) }
      catch (err) {
        await this.index.unstage()
        throw err
      }
      if (published) return
      await this.index.unstage()
      if (attempt >= MAX_ATTEMPTS) throw new Error(`Could not publish the commit: the branch kept moving (${attempt} attempts)`)
      await delay(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()))
      await this.repo.fetch()
    }
  }

  /** Builds and checks each write on the ones before it; one that fails is answered and left out. */
  private async build(todo: Pending[]): Promise<Built[]> {
    const built: Built[] = []
    for (const pending of todo) {
      try {
        const changes = await pending.req.build(this.index)
        assertSafePaths(changes)
        checkPolicy(changes, this.index)
        this.index.stage(changes)
        const { message } = pending.req
        built.push({ pending, changes, message: typeof message === 'string' ? message : message(this.index) })
      }
      catch (err) { pending.reject(err) }
    }
    return built
  }

  /**
   * Commits the built writes as a chain on `base` and moves the branch to its end; false
   * when someone else moved the branch first. A write that changes nothing gets no commit.
   */
  private async publish(base: string | null, built: Built[]): Promise<boolean> {
    const chain = (list: Built[]) => this.repo.commitChain(base, list.map(({ pending: { req }, changes, message }) => ({
      message, author: req.author, changes, merge: req.merge,
    })))
    let made = await chain(built)
    const kept = built.filter((_, i) => made[i]!.changed)
    if (kept.length < built.length && kept.length) made = await chain(kept) // rare: a chain without the no-ops
    const head = kept.length ? made.at(-1)!.sha : base!
    if (kept.length && !await this.repo.publish(head, base)) return false
    this.index.published(head)
    kept.forEach((b, i) => b.pending.resolve({ sha: made[i]!.sha, changed: true }))
    for (const b of built) if (!kept.includes(b)) b.pending.resolve({ sha: head, changed: false })
    // Each batch left a pack: roll them up now and then, after the writes are answered
    // (housekeeping that fails is simply tried again next time).
    if (kept.length && ++this.packs % 16 === 0) await this.repo.maintain().catch(() => {})
    return true
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
      const [{ sha, changed }] = await this.repo.commitChain(base, [{ message: req.message, author: req.author, changes }]) as [ChainedCommit]
      if (!changed) return null
      await this.repo.setBranch(req.branch, sha)
      return { sha, base }
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
