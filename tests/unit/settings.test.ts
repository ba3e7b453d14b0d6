import { describe, expect, it } from 'vitest'
import { applyEnv, loadSettings } from '../../server/settings'

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

describe('settings of the incident agent', () => {
  it('default to no LLM, no bot, no remote skill and a 15 minute verification window', () => {
    const s = loadSettings(base)
    expect(s.agent).toEqual({ pollSeconds: 10, verifySeconds: 900, skills: { url: '', secret: '', timeoutMs: 10000 }, github: { repo: '', token: '' } })
    expect(s.anthropic).toEqual({ apiKey: '', model: 'claude-sonnet-4-5', baseUrl: 'https://api.anthropic.com', timeoutMs: 30000 })
    expect(s.telegram).toEqual({ botToken: '', apiUrl: 'https://api.telegram.org', webhookSecret: '', timeoutMs: 10000 })
  })

  it('find the GitHub repository of the GitOps remote, and use its token for pull requests', () => {
    expect(loadSettings({ ...base, gitops: { remoteUrl: 'https://github.com/acme/gitops.git', token: 'ghs_x' } }).agent.github).toEqual({ repo: 'acme/gitops', token: 'ghs_x' })
    expect(loadSettings({ ...base, gitops: { remoteUrl: 'git@github.com:acme/platform-gitops.git' } }).agent.github.repo).toBe('acme/platform-gitops')
    expect(loadSettings({ ...base, gitops: { remoteUrl: 'https://gitlab.com/acme/gitops.git' } }).agent.github.repo).toBe('')
    expect(loadSettings({ ...base, githubUrl: 'https://ghe.acme.io', gitops: { remoteUrl: 'https://ghe.acme.io/ops/gitops' } }).agent.github.repo).toBe('ops/gitops')
    expect(loadSettings({ ...base, agent: { githubRepo: 'acme/mirror', githubToken: 'ghp_y' }, gitops: { token: 'other' } }).agent.github).toEqual({ repo: 'acme/mirror', token: 'ghp_y' })
  })

  it.each([
    [{ agent: { skillsUrl: 'https://agent.internal/skill' } }, /NUXT_AGENT_SKILLS_URL needs NUXT_AGENT_SKILLS_SECRET/],
    [{ agent: { verifySeconds: 0 } }, /NUXT_AGENT_VERIFY_SECONDS must be a positive whole number of seconds/],
    [{ agent: { githubRepo: 'just-a-name' } }, /NUXT_AGENT_GITHUB_REPO must be "owner\/name"/],
    [{ telegram: { apiUrl: 'api.telegram.org' } }, /NUXT_TELEGRAM_API_URL must be an absolute http\(s\) URL/],
  ])('refuse %j', (config, message) => {
    expect(() => loadSettings({ ...base, ...config })).toThrow(message)
  })
})

describe('settings of the operation engine', () => {
  const argo = { engine: 'argo', engineNamespace: 'mctl', engineImage: 'ghcr.io/mctl/mctl:0.1.0', engineDataClaim: 'mctl-data' }

  it('default to the local engine running 64 operations at once', () => {
    expect(loadSettings(base).engine).toMatchObject({ kind: 'local', concurrency: 64 })
  })

  it('take the Argo engine with its image, namespace and data claim', () => {
    expect(loadSettings({ ...base, ...argo, engineEnvSecret: 'mctl-env', engineConcurrency: '16' }).engine).toEqual({
      kind: 'argo',
      concurrency: 16,
      argo: {
        namespace: 'mctl', image: 'ghcr.io/mctl/mctl:0.1.0', serviceAccount: '', dataClaim: 'mctl-data', envConfigMap: '', envSecret: 'mctl-env',
        kanikoImage: 'gcr.io/kaniko-project/executor:v1.23.2', registrySecret: '', gitSecret: '', pollSeconds: 2,
      },
    })
  })

  it.each([
    [{ engine: 'k8s' }, /NUXT_ENGINE must be "local" or "argo", got "k8s"/],
    [{ ...argo, engineImage: '' }, /NUXT_ENGINE_IMAGE is required with NUXT_ENGINE=argo/],
    [{ ...argo, engineImage: 'mctl' }, /NUXT_ENGINE_IMAGE must be a full image reference/],
    [{ ...argo, engineDataClaim: '' }, /NUXT_ENGINE_DATA_CLAIM is required/],
    [{ ...argo, engineNamespace: 'Argo_Workflows' }, /NUXT_ENGINE_NAMESPACE must be a Kubernetes object name/],
    [{ engineConcurrency: 0 }, /NUXT_ENGINE_CONCURRENCY must be a positive whole number/],
  ])('refuse %j', (config, message) => {
    expect(() => loadSettings({ ...base, ...config })).toThrow(message)
  })
})

describe('NUXT_* variables outside Nitro (the operation runner)', () => {
  it('apply to runtime config keys as Nitro applies them, values parsed like JSON', () => {
    const defaults = { dataDir: './data', engine: 'local', engineConcurrency: 4, gitops: { remoteUrl: '', pollSeconds: 2 }, oauth: { github: { teams: false } } }
    expect(applyEnv(defaults, {
      NUXT_DATA_DIR: '/data', NUXT_ENGINE: 'argo', NUXT_ENGINE_CONCURRENCY: '8', NUXT_GITOPS_REMOTE_URL: 'https://git.example.com/gitops.git',
      NUXT_OAUTH_GITHUB_TEAMS: 'true', NUXT_UNKNOWN: 'x',
    })).toEqual({ dataDir: '/data', engine: 'argo', engineConcurrency: 8, gitops: { remoteUrl: 'https://git.example.com/gitops.git', pollSeconds: 2 }, oauth: { github: { teams: true } } })
  })
})
