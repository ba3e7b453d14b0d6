import { describe, expect, it } from 'vitest'
import { loadSettings } from '../../server/settings'

// A session password is required by the auth settings; these tests are about the others.
const base = { session: { password: 'p'.repeat(32) } }

describe('settings of the outside systems', () => {
  it('default to no Loki, the embedded secret store and 5 s timeouts', () => {
    const s = loadSettings(base)
    expect(s.cluster).toEqual({ timeoutMs: 5000, argocdNamespace: 'argocd' })
    expect(s.loki).toEqual({ url: '', orgId: '', timeoutMs: 5000 })
    expect(s.vault).toEqual({ addr: '', token: '', mount: 'secret', timeoutMs: 5000 })
  })

  it('take Vault and Loki from the environment', () => {
    const s = loadSettings({ ...base, vault: { addr: 'https://vault.internal:8200/', token: 'hvs.x', mount: '/kv/' }, loki: { url: 'http://loki:3100', orgId: 'platform' }, cluster: { timeoutMs: 800 } })
    expect(s.vault).toMatchObject({ addr: 'https://vault.internal:8200', mount: 'kv' })
    expect(s.loki.url).toBe('http://loki:3100')
    expect(s.cluster.timeoutMs).toBe(800)
  })

  it.each([
    [{ vault: { addr: 'https://vault:8200' } }, /NUXT_VAULT_ADDR and NUXT_VAULT_TOKEN must be set together/],
    [{ vault: { token: 'hvs.x' } }, /must be set together/],
    [{ loki: { url: 'loki:3100' } }, /NUXT_LOKI_URL must be an absolute http\(s\) URL/],
    [{ cluster: { timeoutMs: 'soon' } }, /NUXT_CLUSTER_TIMEOUT_MS must be a positive whole number/],
  ])('refuse %j', (config, message) => {
    expect(() => loadSettings({ ...base, ...config })).toThrow(message)
  })
})
