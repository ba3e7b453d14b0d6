import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { GitRepo, type Changes } from '../../server/gitops/repo'
import { RepoIndex } from '../../server/gitops/state'
import { GitOpsStore, type WriteRequest } from '../../server/gitops/store'
import { commits, git, handCommit, show, trailer } from '../helpers/git'

const author = { name: 'Alice', email: 'alice@example.com' }
const tenantYaml = (name: string) => `displayName: ${name}\nquotas:\n  cpu: "2"\n  memory: 4Gi\n  pods: 10\n`

async function setup(remoteUrl?: string) {
  const dir = join(mkdtempSync(join(tmpdir(), 'mctl-batch-')), 'gitops')
  const repo = new GitRepo({ dir, branch: 'main', remoteUrl, committer: { name: 'MCTL', email: 'mctl@example.com' } })
  await repo.ensure(() => new Map([['mctl.yaml', 'baseDomain: apps.acme.test\n']]), 'skeleton')
  const index = new RepoIndex(repo)
  const store = new GitOpsStore(repo, index)
  return { dir, repo, index, store }
}

const request = (id: string, build: (index: RepoIndex) => Changes | Promise<Changes>): WriteRequest =>
  ({ operationId: id, message: `write ${id}\n\nMctl-Operation: ${id}\n`, author, build })

/** A tenant whose `seen` file records which tenants the write saw when it was built. */
const addTenant = (name: string) => (index: RepoIndex): Changes => new Map([
  [`tenants/${name}/tenant.yaml`, tenantYaml(name)],
  [`tenants/${name}/seen`, `${[...index.tenants.keys()].sort().join(',')}\n`],
])

describe('batched writes', () => {
  it('commits writes that queue up together, one commit each, each built on the ones before', async () => {
    const { dir, repo, store, index } = await setup()
    const chains = vi.spyOn(repo, 'commitChain')
    const names = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`)
    const results = await Promise.all(names.map(n => store.write(request(`op_${n}`, addTenant(n)))))

    expect(chains).toHaveBeenCalledTimes(1) // one fast-import for the 30 commits
    const log = commits(dir).reverse().slice(1) // oldest first, without the skeleton
    expect(log.map(c => trailer(c.body, 'Mctl-Operation'))).toEqual(names.map(n => `op_${n}`))
    expect(log.map(c => c.sha)).toEqual(results.map(r => r.sha))
    expect(results.every(r => r.changed)).toBe(true)
    log.forEach((c, i) => expect(c.files).toEqual([`tenants/${names[i]}/seen`, `tenants/${names[i]}/tenant.yaml`]))
    // The last write saw the 29 before it, staged but not yet published when it was built.
    expect(show(dir, 'main', 'tenants/t29/seen')).toBe(names.slice(0, 29).join(','))
    expect(index.sha).toBe(await repo.head())
    expect(index.tenants.size).toBe(30)
    expect(git(dir, 'fsck', '--no-progress')).toBe('')
    // Small batches stay packs (no extra process exploding them into loose objects).
    expect(git(dir, 'count-objects', '-v')).toMatch(/^count: 0$/m)
  })

  it('answers a write that fails, or changes nothing, on its own and commits the rest', async () => {
    const { dir, store, index } = await setup()
    await store.write(request('op_first', addTenant('acme')))
    const before = commits(dir).length
    const outcomes = await Promise.allSettled([
      store.write(request('op_a', addTenant('alpha'))),
      store.write(request('op_broken', () => { throw new Error('the build failed') })),
      store.write(request('op_escape', () => new Map([['../outside', 'x']]))),
      store.write(request('op_policy', () => new Map([['tenants/acme/manifests/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: acme\n']]))),
      store.write(request('op_same', () => new Map([['tenants/acme/tenant.yaml', tenantYaml('acme')]]))),
      store.write(request('op_b', addTenant('beta'))),
    ])
    expect(outcomes.map(o => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/the build failed/)
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/Refusing to write outside the repository/)
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(/Secret objects must not be committed/)

    const log = commits(dir)
    expect(log.length).toBe(before + 2) // no commit for the failures, none for the no-op
    expect(log.slice(0, 2).map(c => trailer(c.body, 'Mctl-Operation'))).toEqual(['op_b', 'op_a'])
    const same = (outcomes[4] as PromiseFulfilledResult<{ sha: string, changed: boolean }>).value
    expect(same).toEqual({ sha: log[0]!.sha, changed: false })
    expect(show(dir, 'main', 'tenants/beta/seen')).toBe('acme,alpha')
    expect([...index.tenants.keys()].sort()).toEqual(['acme', 'alpha', 'beta'])
  })

  it('builds the batch again on the new head when the branch moved, undoing what it had staged', async () => {
    const { dir, repo, store, index } = await setup()
    await store.write(request('op_first', addTenant('acme')))
    // Another writer (a second MCTL, a person) on the same repository.
    const other = new GitRepo({ ...repo.opts })
    let ghostBuilds = 0
    const results = await Promise.allSettled([
      store.write(request('op_a', async (ix) => {
        if (ghostBuilds === 0) {
          const head = (await other.head())!
          const sha = await other.commit(head, 'hand edit', author, new Map([['tenants/hand/tenant.yaml', tenantYaml('hand')], ['tenants/acme', null]]))
          expect(await other.publish(sha, head)).toBe(true)
        }
        return addTenant('alpha')(ix)
      })),
      store.write(request('op_ghost', (ix) => {
        if (ghostBuilds++) throw new Error('the ghost is gone on the new head')
        return new Map([['tenants/ghost/tenant.yaml', tenantYaml('ghost')], ['tenants/acme', null]])
      })),
      store.write(request('op_b', addTenant('beta'))),
    ])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(ghostBuilds).toBe(2)
    const log = commits(dir)
    expect(log.slice(0, 3).map(c => c.subject)).toEqual(['write op_b', 'write op_a', 'hand edit'])
    // Built again on the hand edit: it saw "hand", and not "acme" (removed there) or the ghost.
    expect(show(dir, 'main', 'tenants/beta/seen')).toBe('alpha,hand')
    expect([...index.tenants.keys()].sort()).toEqual(['alpha', 'beta', 'hand'])
    expect(index.sha).toBe(log[0]!.sha)
  })

  it('builds the batch again on the remote\'s new head when its push is refused', async () => {
    const work = mkdtempSync(join(tmpdir(), 'mctl-batch-remote-'))
    const remote = join(work, 'remote.git')
    git(work, 'init', '-q', '--bare', '--initial-branch=main', remote)
    const { repo, store, index } = await setup(remote)
    const publish = repo.publish.bind(repo)
    const pushes = vi.spyOn(repo, 'publish').mockImplementationOnce(async (sha, base) => {
      // A person pushes first: this push is refused.
      handCommit(remote, work, { 'tenants/hand/tenant.yaml': () => tenantYaml('hand') }, 'hand edit')
      return publish(sha, base)
    })
    const builds: string[] = []
    const results = await Promise.all(['alpha', 'beta'].map(name => store.write(request(`op_${name}`, (ix) => {
      builds.push(name)
      return addTenant(name)(ix)
    }))))

    expect(pushes).toHaveBeenCalledTimes(2)
    expect(builds).toEqual(['alpha', 'beta', 'alpha', 'beta']) // one batch, built twice
    const log = commits(remote)
    expect(log.slice(0, 3).map(c => c.subject)).toEqual(['write op_beta', 'write op_alpha', 'hand edit'])
    expect(log.slice(0, 2).map(c => c.sha)).toEqual(results.map(r => r.sha).reverse())
    expect(show(remote, 'main', 'tenants/beta/seen')).toBe('alpha,hand')
    expect([...index.tenants.keys()].sort()).toEqual(['alpha', 'beta', 'hand'])
    expect(index.sha).toBe(log[0]!.sha)
    expect(await repo.head()).toBe(log[0]!.sha)
    expect(git(remote, 'fsck', '--no-progress', '--no-dangling')).toBe('')
  })
})
