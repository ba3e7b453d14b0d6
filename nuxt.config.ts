// Settings are runtime config: every key below can be set with a NUXT_* environment
// variable (e.g. gitops.remoteUrl -> NUXT_GITOPS_REMOTE_URL). The README lists them all.
export default defineNuxtConfig({
  compatibilityDate: '2026-05-01',
  srcDir: '.',
  dir: { app: '.' },
  // Inside the project (not node_modules/.cache) so separate work trees never share a build.
  buildDir: '.nuxt',
  modules: ['@nuxt/ui'],
  css: ['~/assets/css/main.css'],
  devtools: { enabled: false },
  telemetry: false,
  typescript: { strict: true, typeCheck: false },

  // Nothing is fetched from a CDN: fonts come from @fontsource packages (see main.css),
  // icons from @iconify-json/lucide bundled into the server and client.
  ui: { fonts: false },
  icon: {
    provider: 'server',
    fallbackToApi: false,
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true, sizeLimitKb: 256 },
  },

  runtimeConfig: {
    dataDir: './data',
    bootstrapAdminToken: '',
    adminUsers: '',
    allowedOrigins: '',
    baseDomain: 'apps.example.com',
    alertmanagerToken: '',
    metricsToken: '',
    githubUrl: 'https://github.com',
    githubApiUrl: 'https://api.github.com',
    githubAppId: '',
    githubAppPrivateKey: '',
    githubAppSlug: '',
    gitops: {
      remoteUrl: '',
      branch: 'main',
      token: '',
      committerName: 'MCTL',
      committerEmail: 'mctl@localhost',
      pollSeconds: 2,
      fetchSeconds: 30,
    },
    engine: { concurrency: 4 },
    cluster: { timeoutMs: 5000, argocdNamespace: 'argocd' },
    loki: { url: '', orgId: '', timeoutMs: 5000 },
    vault: { addr: '', token: '', mount: 'secret', timeoutMs: 5000 },
    // The self-healing agent (server/agent): verification window, remote skill, pull requests.
    agent: {
      pollSeconds: 10,
      verifySeconds: 900,
      skillsUrl: '',
      skillsSecret: '',
      skillsTimeoutMs: 10000,
      githubRepo: '',
      githubToken: '',
    },
    anthropic: { apiKey: '', model: 'claude-sonnet-4-5', baseUrl: 'https://api.anthropic.com', timeoutMs: 30000 },
    telegram: { botToken: '', apiUrl: 'https://api.telegram.org', webhookSecret: '', timeoutMs: 10000 },
    public: {
      baseUrl: 'http://localhost:3000',
    },
  },

  nitro: {
    serverAssets: [{ baseName: 'migrations', dir: './db/migrations' }],
  },
})
