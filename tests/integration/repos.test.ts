import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGitHubApp } from '../fakes/github-app'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

let github: Awaited<ReturnType<typeof startFakeGitHubApp>>
let server: TestServer
let alice: McpSession, bob: McpSession

beforeAll(async () => {
  github = await startFakeGitHubApp()
  github.installations.set(77, [
    { full_name: 'acme/api', private: true, default_branch: 'main' },
    ...Array.from({ length: 120 }, (_, i) => ({ full_name: `acme/lib-${String(i).padStart(3, '0')}`, private: false, default_branch: 'trunk' })),
  ])
  server = await startServer({
    env: {
      NUXT_GITHUB_URL: 'https://github.example',
      NUXT_GITHUB_API_URL: github.url,
      NUXT_GITHUB_APP_ID: github.appId,
      // As in an env file: the PEM on one line with \n escapes.
      NUXT_GITHUB_APP_PRIVATE_KEY: github.privateKeyPem.replace(/\n/g, '\\n'),
      NUXT_GITHUB_APP_SLUG: 'mctl-platform',
    },
  })
  alice = await connect(server.url, addUser(server.dataDir, 'alice'))
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  expect((await alice.call('mctl_create_tenant', { tenant_name: 'acme', wait_seconds: 20 })).data.status).toBe('succeeded')
})
afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close()])
  await server?.stop()
  await github?.close()
})

const callback = (query: Record<string, string>) =>
  fetch(`${server.url}/api/v1/repos/callback?${new URLSearchParams(query)}`, { redirect: 'manual' })

describe('repositories through the GitHub App', () => {
  it('grants access with a signed install link and registers the repo on the callback', async () => {
    expect((await alice.call('mctl_list_repos', { team: 'acme' })).data).toEqual({ items: [], count: 0 })
    expect((await bob.call('mctl_grant_repo_access', { team: 'acme', repo: 'acme/api' })).text).toBe('Tenant "acme" not found')

    const grant = (await alice.call('mctl_grant_repo_access', { team: 'acme', repo: 'acme/api', service: 'api' })).data
    const link = new URL(grant.install_url)
    expect(`${link.origin}${link.pathname}`).toBe('https://github.example/apps/mctl-platform/installations/new')
    const state = link.searchParams.get('state')!

    expect((await callback({ installation_id: '77', setup_action: 'install', state: `${state}x` })).status).toBe(400)
    expect((await callback({ installation_id: 'abc', setup_action: 'install', state })).status).toBe(400)

    const back = await callback({ installation_id: '77', setup_action: 'install', state })
    expect(back.status, await back.clone().text()).toBe(302)
    expect(back.headers.get('location')).toBe(`${server.url}/console/tenants/acme?repo=acme%2Fapi`)
    const repos = (await alice.call('mctl_list_repos', { team: 'acme' })).data
    expect(repos.items).toEqual([expect.objectContaining({ fullName: 'acme/api', private: true, defaultBranch: 'main', installationId: 77, service: 'api', registeredBy: 'alice' })])
  })

  it('refuses a callback for an installation without the repo', async () => {
    github.installations.set(88, [{ full_name: 'other/thing', private: false, default_branch: 'main' }])
    const { install_url } = (await alice.call('mctl_grant_repo_access', { team: 'acme', repo: 'acme/missing' })).data
    const res = await callback({ installation_id: '88', state: new URL(install_url).searchParams.get('state')! })
    expect(res.status).toBe(409)
    expect((await res.json()).error).toMatch(/does not include acme\/missing/)
  })

  it('syncs every repository of the installation (all pages) and drops the ones it lost', async () => {
    const first = (await alice.call('mctl_sync_repos', { team: 'acme' })).data
    expect(first.added).toHaveLength(120)
    expect(first).toMatchObject({ removed: [], count: 121 })
    github.installations.set(77, github.installations.get(77)!.filter(r => r.full_name !== 'acme/lib-007'))
    expect((await alice.call('mctl_sync_repos', { team: 'acme' })).data).toEqual({ added: [], removed: ['acme/lib-007'], count: 120 })
    expect(github.requests.filter(r => r.startsWith('POST /app/installations/77/access_tokens'))).toHaveLength(1) // the token is reused
  })

  it('says which settings are missing when the app is not configured', async () => {
    const plain = await startServer()
    const admin = await connect(plain.url, ADMIN_TOKEN)
    await admin.call('mctl_create_tenant', { tenant_name: 'solo', wait_seconds: 20 })
    const answer = await admin.call('mctl_grant_repo_access', { team: 'solo', repo: 'x/y' })
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(/NUXT_GITHUB_APP_ID, NUXT_GITHUB_APP_PRIVATE_KEY and NUXT_GITHUB_APP_SLUG/)
    expect((await admin.call('mctl_sync_repos', { team: 'solo' })).text).toMatch(/No GitHub App installation is known/)
    await admin.close()
    await plain.stop()
  })
})
