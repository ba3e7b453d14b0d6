import { existsSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { git, GitError, GitSession, runGit } from './git'

export interface Author { name: string, email: string }

/** Files to write (content) or remove (null: a file or a whole folder). */
export type Changes = Map<string, string | null>

export interface CommitInfo {
  sha: string
  authorName: string
  authorEmail: string
  time: string
  subject: string
  trailers: Record<string, string>
}

/** One commit of `commitChain`. */
export interface NewCommit {
  message: string
  author: Author
  changes: Changes
  when?: Date
  /** A second parent (an approved fix branch), so the branch shows as merged. */
  merge?: string
}

/** A file `changedFiles` found: its blob at the later commit, or null when it is gone. */
export interface ChangedFile { path: string, blob: string | null }

/** A commit `commitChain` made: `changed` is false when its tree is its parent's. */
export interface ChainedCommit { sha: string, changed: boolean }

export interface RepoOptions {
  dir: string
  branch: string
  remoteUrl?: string
  token?: string
  committer: Author
}

const ZERO = '0'.repeat(40)
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
const SAFE_PATH = /^[\w.-]+(\/[\w.-]+)*$/

/** Throws before anything is written when one of the paths would leave the repository. */
export function assertSafePaths(changes: Changes) {
  for (const path of changes.keys()) assertSafePath(path)
}

export function assertSafePath(path: string) {
  if (!SAFE_PATH.test(path) || path.split('/').some(s => s === '.' || s === '..'))
    throw new Error(`Refusing to write outside the repository: ${JSON.stringify(path)}`)
}

/**
 * The GitOps repository, driven through the git CLI. The local copy is a bare repository:
 * commits are built with `git fast-import` straight from the desired files (no work tree to
 * leave half-written on a crash) and published with a compare-and-swap of the branch
 * (`update-ref new old`) or a push that the remote rejects when someone else was first.
 */
export class GitRepo {
  readonly ref: string
  /** Long-running: every batch of writes goes through both (see GitSession). */
  private readonly importer: GitSession
  private readonly refs: GitSession
  /** Remote mode: the local branch catching up with the last push (see publish). */
  private following: Promise<void> = Promise.resolve()

  constructor(readonly opts: RepoOptions) {
    this.ref = `refs/heads/${opts.branch}`
    // It only ever moves refs/mctl/staging: whatever a stream cut short leaves there (MCTL
    // killed mid-write), the branch moves by compare-and-swap of a finished chain alone.
    // Its packs stay packs (by default one of under 100 objects, a batch of a few commits,
    // is exploded into loose objects by another process: 10–15 ms a batch); `maintain`
    // rolls them up.
    this.importer = new GitSession(['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--force'], { cwd: opts.dir })
    this.refs = new GitSession(['update-ref', '--stdin'], { cwd: opts.dir })
  }

  /** Lets the long-running git processes finish and exit. */
  async close(): Promise<void> {
    await this.following
    await Promise.all([this.importer.close(), this.refs.close()])
  }

  get dir() { return this.opts.dir }
  get isRemote() { return !!this.opts.remoteUrl }

  private run(args: string[], input?: string | Buffer, okCodes?: number[]) {
    return runGit(args, { cwd: this.opts.dir, input, okCodes, env: this.credentials() })
  }

  private text(args: string[], input?: string) {
    return git(args, { cwd: this.opts.dir, input, env: this.credentials() })
  }

  /** HTTPS token as an extra header through the environment: never in argv, config or URLs. */
  private credentials(): Record<string, string> | undefined {
    if (!this.opts.token) return undefined
    const basic = Buffer.from(`x-access-token:${this.opts.token}`).toString('base64')
    return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` }
  }

  /** Creates the repository when missing; seeds an empty branch with `skeleton`. */
  async ensure(skeleton: () => Changes, message: string): Promise<void> {
    if (!existsSync(this.dir)) {
      await mkdir(this.dir, { recursive: true })
      await git(['init', '--quiet', '--bare', `--initial-branch=${this.opts.branch}`], { cwd: this.dir })
    }
    // No automatic `gc` (it detaches and repacks behind our back): `maintain` packs in step.
    await this.text(['config', 'gc.auto', '0'])
    if (this.isRemote) {
      const remotes = await this.text(['remote'])
      await this.text(remotes.split('\n').includes('origin')
        ? ['remote', 'set-url', 'origin', this.opts.remoteUrl!]
        : ['remote', 'add', 'origin', this.opts.remoteUrl!])
      await this.fetch()
    }
    if (await this.head()) return
    const sha = await this.commit(null, message, this.opts.committer, skeleton())
    if (!await this.publish(sha, null)) await this.fetch() // someone seeded it first
  }

  /**
   * The branch head. Read from the ref files when they are there (it is asked before every
   * write and every few seconds, and a file read is far cheaper than a process); else git.
   * Read synchronously: it is 41 bytes, while an asynchronous read is four trips through an
   * event loop that, under load, is busy with requests — and every batch of writes waits.
   */
  async head(): Promise<string | null> {
    await this.following
    try {
      const loose = readFileSync(join(this.dir, this.ref), 'utf8').trim()
      if (/^[0-9a-f]{40}$/.test(loose)) return loose
    }
    catch {}
    const { stdout, code } = await this.run(['rev-parse', '--verify', '--quiet', this.ref], undefined, [1])
    return code === 0 ? stdout.toString().trim() : null
  }

  /** Whether this repository has the commit `sha` (a snapshot's, say). */
  async hasCommit(sha: string): Promise<boolean> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return false
    const { code } = await this.run(['cat-file', '-e', `${sha}^{commit}`], undefined, [1, 128])
    return code === 0
  }

  /** Remote mode: make the local branch exactly the remote's. */
  async fetch(): Promise<void> {
    if (!this.isRemote) return
    await this.following // else a late catch-up could move it back behind what this fetched
    await this.pull()
  }

  private async pull(): Promise<void> {
    const { stdout } = await this.run(['ls-remote', '--heads', 'origin', this.ref])
    if (!stdout.toString().trim()) return // empty remote: nothing to fetch yet
    await this.text(['fetch', '--quiet', 'origin', `+${this.ref}:${this.ref}`])
  }

  /**
   * Builds a commit on `base` with `changes` applied; does not move the branch. `merge` adds
   * a second parent (an approved fix branch), so the branch shows as merged.
   */
  async commit(base: string | null, message: string, author: Author, changes: Changes, when = new Date(), merge?: string): Promise<string> {
    const [made] = await this.commitChain(base, [{ message, author, changes, when, merge }])
    return made!.sha
  }

  /**
   * Builds a chain of commits on `base`, each on the one before, in one request to the
   * `fast-import` process; answers, in order, each commit's sha and whether its tree
   * differs from the one before (false: it changes nothing). Does not move the branch.
   */
  async commitChain(base: string | null, commits: NewCommit[]): Promise<ChainedCommit[]> {
    const parts: Buffer[] = []
    const push = (s: string) => parts.push(Buffer.from(s))
    const data = (s: string) => { const b = Buffer.from(s); push(`data ${b.length}\n`); parts.push(b); push('\n') }
    commits.forEach((c, i) => {
      const ts = `${Math.floor((c.when ?? new Date()).getTime() / 1000)} +0000`
      push(`commit refs/mctl/staging\nmark :${i + 1}\n`)
      push(`author ${ident(c.author)} ${ts}\ncommitter ${ident(this.opts.committer)} ${ts}\n`)
      data(c.message.endsWith('\n') ? c.message : `${c.message}\n`)
      const parent = i ? `:${i}` : base
      if (parent) push(`from ${parent}\n`)
      if (c.merge) push(`merge ${c.merge}\n`)
      for (const [path, content] of [...c.changes].sort(([a], [b]) => a.localeCompare(b))) {
        assertSafePath(path)
        if (content === null) push(`D ${path}\n`)
        else { push(`M 100644 inline ${path}\n`); data(content) }
      }
    })
    // The checkpoint writes the pack (other git processes see the commits from then on);
    // then the root tree of the base and, per commit, its sha and root tree ("ls" answers
    // "040000 tree <sha>\t"), so no other process is needed to tell which change nothing;
    // the progress line last says all of it is done.
    push('checkpoint\n')
    if (base) push(`ls ${base} ""\n`)
    commits.forEach((_, i) => push(`get-mark :${i + 1}\nls :${i + 1} ""\n`))
    push('progress committed\n')
    const lines = await this.importer.request(Buffer.concat(parts), (base ? 1 : 0) + 2 * commits.length + 1)
    const treeOf = (line = '') => line.split(/[ \t]/)[2]
    let tree = base ? treeOf(lines.shift()) : EMPTY_TREE
    return commits.map(() => {
      const sha = lines.shift()!
      const before = tree
      tree = treeOf(lines.shift())
      return { sha, changed: tree !== before }
    })
  }

  /**
   * Files that differ between two commits (null = the empty tree), each with its blob at `to`
   * (null: gone there). Reading the blobs by id, rather than by `<commit>:<path>`, spares git
   * a walk down the trees for every file — the difference between seconds and a minute on a
   * repository of thousands of tenants.
   */
  async changedFiles(from: string | null, to: string): Promise<ChangedFile[]> {
    const fields = (await this.text(from
      ? ['diff-tree', '-r', '-z', '--no-commit-id', from, to] // ":<mode> <mode> <blob> <blob> <status>\0<path>\0"
      : ['ls-tree', '-r', '-z', to])) // "<mode> <type> <blob>\t<path>\0"
      .split('\0')
    const files: ChangedFile[] = []
    if (from) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const [, , , blob, status] = fields[i]!.split(' ')
        files.push({ path: fields[i + 1]!, blob: status === 'D' ? null : blob! })
      }
    }
    else {
      for (const entry of fields) {
        const tab = entry.indexOf('\t')
        if (tab > 0) files.push({ path: entry.slice(tab + 1), blob: entry.slice(0, tab).split(' ')[2]! })
      }
    }
    return files
  }

  /**
   * Moves the branch from `base` to `sha`; false when someone else moved it first. With a
   * remote, it is published once the push is accepted: the local branch follows in the
   * background (the next `head()` waits for it; if it cannot move, a fetch puts it right).
   */
  async publish(sha: string, base: string | null): Promise<boolean> {
    if (this.isRemote) {
      const { stdout, code } = await this.run(['push', '--porcelain', 'origin', `${sha}:${this.ref}`], undefined, [1])
      if (code !== 0) {
        if (/^!/m.test(stdout.toString())) return false
        throw new GitError(['push'], code, stdout.toString())
      }
      this.following = this.follow(sha)
      return true
    }
    return this.moveRef(sha, base ?? ZERO)
  }

  /**
   * The local branch to `sha`, just pushed. Never fails: if it cannot move, it is fetched;
   * if that fails too it stays behind, and the next write's push is refused and fetches.
   */
  private async follow(sha: string): Promise<void> {
    try {
      if (await this.moveRef(sha)) return
    }
    catch {}
    await this.pull().catch(() => {})
  }

  /** One `update-ref` transaction: false when the branch is not at `old` (when given). */
  private async moveRef(sha: string, old?: string): Promise<boolean> {
    try {
      await this.refs.request(`start\nupdate ${this.ref} ${sha}${old ? ` ${old}` : ''}\nprepare\ncommit\n`, 3)
      return true
    }
    catch (err) {
      if (err instanceof GitError && /cannot lock ref/.test(err.stderr)) return false
      throw err
    }
  }

  /** The commit a side branch (e.g. `fix/<incident>`) points at, or null. */
  async branchHead(name: string): Promise<string | null> {
    const { stdout, code } = await this.run(['rev-parse', '--verify', '--quiet', branchRef(name)], undefined, [1])
    return code === 0 ? stdout.toString().trim() : null
  }

  /**
   * Points a side branch at `sha`, here and on the remote. Side branches belong to MCTL
   * (proposals), so they are moved by force; the main branch is never touched here.
   */
  async setBranch(name: string, sha: string): Promise<void> {
    const ref = branchRef(name)
    if (this.isRemote) await this.text(['push', '--quiet', '--force', 'origin', `${sha}:${ref}`])
    await this.text(['update-ref', ref, sha])
  }

  /** Removes a side branch here and on the remote; a branch already gone is fine. */
  async deleteBranch(name: string): Promise<void> {
    const ref = branchRef(name)
    if (this.isRemote) {
      const { stdout } = await this.run(['ls-remote', '--heads', 'origin', ref])
      if (stdout.toString().trim()) await this.text(['push', '--quiet', 'origin', `:${ref}`])
    }
    await this.run(['update-ref', '-d', ref], undefined, [1])
  }

  /** Lines added/removed per file and the unified diff between two commits. */
  async diff(from: string, to: string): Promise<{ files: { path: string, added: number, removed: number }[], patch: string }> {
    const numstat = await this.text(['diff', '--numstat', '--no-renames', from, to])
    const files = numstat ? numstat.split('\n').map((line) => {
      const [added, removed, path] = line.split('\t') as [string, string, string]
      return { path, added: Number(added) || 0, removed: Number(removed) || 0 }
    }) : []
    return { files, patch: await this.text(['diff', '--no-renames', '--no-color', from, to]) }
  }

  async listFiles(rev: string, path: string): Promise<string[]> {
    const out = await this.text(['ls-tree', '-r', '--name-only', rev, '--', path])
    return out ? out.split('\n') : []
  }

  /** Reads many files of one revision with a single `cat-file --batch`. Missing ones are absent. */
  async readFiles(rev: string, paths: string[]): Promise<Map<string, string>> {
    const contents = await this.readObjects(paths.map(p => `${rev}:${p}`))
    return new Map(paths.flatMap((p, i) => contents[i] === null ? [] : [[p, contents[i]!] as const]))
  }

  /** Contents of objects (blob ids, `<rev>:<path>`), in order, with one `cat-file --batch`; null when missing. */
  async readObjects(objects: string[]): Promise<(string | null)[]> {
    if (!objects.length) return []
    const { stdout } = await this.run(['cat-file', '--batch'], objects.map(o => `${o}\n`).join(''))
    let pos = 0
    return objects.map(() => {
      const eol = stdout.indexOf(10, pos)
      const header = stdout.subarray(pos, eol).toString()
      pos = eol + 1
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) return null
      const size = Number(header.split(' ')[2])
      const text = stdout.subarray(pos, pos + size).toString()
      pos += size + 1
      return text
    })
  }

  async readFile(rev: string, path: string): Promise<string | null> {
    return (await this.readFiles(rev, [path])).get(path) ?? null
  }

  /** The commit of an operation on the branch, found by its `Mctl-Operation` trailer. */
  async findOperationCommit(operationId: string): Promise<string | null> {
    if (!await this.head()) return null
    const out = await this.text(['log', this.ref, '-n', '1', '--format=%H', '-E', `--grep=^Mctl-Operation: ${operationId}$`])
    return out || null
  }

  /**
   * Commits of the branch that touched `path`, newest first. First parents only: a merged fix
   * branch shows as its merge commit (attributed to who approved it), not the branch commit.
   */
  async log(path: string, limit: number): Promise<CommitInfo[]> {
    if (!await this.head()) return []
    const out = await this.text(['log', '--first-parent', this.ref, `-n${limit}`, '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%(trailers:only,unfold)%x1e', '--', path])
    return out.split('\x1e').map(r => r.trim()).filter(Boolean).map((record) => {
      const [sha, authorName, authorEmail, time, subject, trailerText] = record.split('\x1f') as [string, string, string, string, string, string]
      const trailers: Record<string, string> = {}
      for (const line of (trailerText ?? '').split('\n')) {
        const i = line.indexOf(':')
        if (i > 0) trailers[line.slice(0, i).trim()] = line.slice(i + 1).trim()
      }
      return { sha, authorName, authorEmail, time: new Date(time).toISOString(), subject, trailers }
    })
  }

  /**
   * Rolls the small packs every `fast-import` checkpoint leaves (and loose objects a fetch may) into
   * geometrically growing packs: the work is proportional to what is new, not to the whole
   * repository, so it can run in the foreground between writes.
   */
  async maintain(): Promise<void> {
    await this.importer.close() // it starts afresh, its memory of past objects let go
    await this.text(['repack', '-d', '-q', '--geometric=2'])
  }
}

/** Side branches MCTL may create: `fix/<incident id>` and the like, nothing that looks like main. */
function branchRef(name: string) {
  if (!/^[a-z]+\/[\w.-]+$/.test(name) || name.includes('..')) throw new Error(`Refusing branch name ${JSON.stringify(name)}`)
  return `refs/heads/${name}`
}

function ident(a: Author) {
  const clean = (s: string) => s.replace(/[<>\n]/g, '').trim()
  return `${clean(a.name) || 'unknown'} <${clean(a.email)}>`
}
