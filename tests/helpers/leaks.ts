// Where a secret value must never appear: every object of the GitOps repository (reachable
// or not), the SQLite files (database and WAL), the server's output and every tool answer.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface LeakScan {
  repo: string
  dataDir: string
  output: string
  answers: string[]
}

/** The places (by name) that contain any of `values`; empty when nothing leaked. */
export function findLeaks(scan: LeakScan, values: string[]): string[] {
  const objects = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: scan.repo, maxBuffer: 256 * 1024 * 1024 })
  const history = execFileSync('git', ['log', '-p', '--all'], { cwd: scan.repo, maxBuffer: 256 * 1024 * 1024 })
  const places: [string, Buffer][] = [
    ['git objects', objects],
    ['git log -p --all', history],
    ...['mctl.db', 'mctl.db-wal', 'mctl.db-shm'].filter(f => existsSync(join(scan.dataDir, f))).map(f => [f, readFileSync(join(scan.dataDir, f))] as [string, Buffer]),
    ['server output', Buffer.from(scan.output)],
    ...scan.answers.map((a, i) => [`tool answer #${i + 1}`, Buffer.from(a)] as [string, Buffer]),
  ]
  return places.flatMap(([name, bytes]) => values.filter(v => bytes.includes(v)).map(v => `${name} contains ${v.slice(0, 6)}…`))
}
