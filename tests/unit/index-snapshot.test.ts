import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GitRepo } from '../../server/gitops/repo'
import { RepoIndex } from '../../server/gitops/state'

const author = { name: 'Alice', email: 'alice@example.com' }
const tenant = (name: string) => `displayName: ${name}\nquotas:\n  cpu: "2"\n  memory: 4Gi\n  pods: 10\n`
const service = (tag: string) => `image:\n  repository: ghcr.io/acme/api\n  tag: ${tag}\n`

async function commit(repo: GitRepo, files: Record<string, string | null>) {
  const base = await repo.head()
  const sha = await repo.commit(base, 'test', author, new Map(Object.entries(files)))
  expect(await repo.publish(sha, base)).toBe(true)
}

describe('the index snapshot', () => {
  it('restores the index of its commit, then parses only what changed since', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mctl-snapshot-'))
    const repo = new GitRepo({ dir: join(dir, 'gitops'), branch: 'main', committer: author })
    await repo.ensure(() => new Map([['mctl.yaml', 'baseDomain: apps.acme.test\n']]), 'skeleton')
    await commit(repo, { 'tenants/acme/tenant.yaml': tenant('Acme'), 'tenants/acme/services/api/service.yaml': service('1.0.0'), 'tenants/bad/tenant.yaml': 'quotas: 1\n' })
    const first = new RepoIndex(repo)
    await first.refresh()
    await first.save(join(dir, 'index.json'), 'v1')

    await commit(repo, { 'tenants/acme/services/api/service.yaml': service('1.1.0'), 'tenants/beta/tenant.yaml': tenant('Beta') })
    const next = new RepoIndex(repo)
    expect(await next.restore(join(dir, 'index.json'), 'v1')).toBe(true)
    expect(next.sha).toBe(first.sha)
    expect(next.service('acme', 'api')?.spec.image.tag).toBe('1.0.0')
    expect([...next.problems.keys()]).toEqual(['tenants/bad/tenant.yaml'])
    await next.refresh()
    expect(next.sha).toBe(await repo.head())
    expect(next.service('acme', 'api')?.spec.image.tag).toBe('1.1.0')
    expect([...next.tenants.keys()].sort()).toEqual(['acme', 'beta'])
    expect(next.platform.baseDomain).toBe('apps.acme.test')

    // Another version (other spec schemas), or a commit the repository does not have: ignored.
    expect(await new RepoIndex(repo).restore(join(dir, 'index.json'), 'v2')).toBe(false)
    expect(await new RepoIndex(repo).restore(join(dir, 'missing.json'), 'v1')).toBe(false)
  })
})

describe('tenant folders the name rules forbid', () => {
  it('are reported as problems and serve nothing: no tenant, no service, no preview', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mctl-reserved-'))
    const repo = new GitRepo({ dir: join(dir, 'gitops'), branch: 'main', committer: author })
    await repo.ensure(() => new Map([['mctl.yaml', 'baseDomain: apps.acme.test\n']]), 'skeleton')
    await commit(repo, {
      'tenants/kube-system/tenant.yaml': tenant('Sneaky'),
      'tenants/kube-system/services/pwn/service.yaml': service('1'),
      'tenants/kube-system/previews/pwn-1/preview.yaml': 'service: pwn\nimageTag: "2"\nexpiresAt: "2030-01-01T00:00:00Z"\n',
      'tenants/Bad_Name/tenant.yaml': tenant('Bad'),
      'tenants/acme/tenant.yaml': tenant('Acme'),
    })
    const index = new RepoIndex(repo)
    await index.refresh()
    expect([...index.tenants.keys()]).toEqual(['acme'])
    expect([...index.allServices(), ...index.allPreviews()]).toEqual([])
    expect(Object.fromEntries(index.problems)).toEqual({
      'tenants/kube-system/tenant.yaml': 'tenant "kube-system" cannot exist: names starting with "kube-" are reserved; the file is ignored',
      'tenants/kube-system/services/pwn/service.yaml': 'tenant "kube-system" cannot exist: names starting with "kube-" are reserved; the file is ignored',
      'tenants/kube-system/previews/pwn-1/preview.yaml': 'tenant "kube-system" cannot exist: names starting with "kube-" are reserved; the file is ignored',
      'tenants/Bad_Name/tenant.yaml': `tenant "Bad_Name" cannot exist: must be 1–31 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"; the file is ignored`,
    })

    // Removing the folder clears its problems.
    await commit(repo, { 'tenants/kube-system': null })
    await index.refresh()
    expect([...index.problems.keys()]).toEqual(['tenants/Bad_Name/tenant.yaml'])
  })
})
