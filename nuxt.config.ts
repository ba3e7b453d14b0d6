import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runtimeDefaults } from './server/settings-schema'

const MIGRATIONS = fileURLToPath(new URL('./server/db/migrations', import.meta.url))

/**
 * The operation runner (server/runner.ts) as .output/server/operation.mjs, which
 * the Argo engine's Workflow pods run from the app image. One ESM file with the runtime
 * config defaults and migrations put in; better-sqlite3 (native) comes from the server's
 * own traced node_modules next to it.
 */
async function bundleOperationRunner(serverDir: string, runtimeConfig: Record<string, unknown>) {
  const { build } = await import('esbuild')
  const migrations = Object.fromEntries(readdirSync(MIGRATIONS, { recursive: true, withFileTypes: true })
    .filter(f => f.isFile())
    .map(f => [relative(MIGRATIONS, join(f.parentPath, f.name)), readFileSync(join(f.parentPath, f.name), 'utf8')]))
  await build({
    entryPoints: [fileURLToPath(new URL('./server/runner.ts', import.meta.url))],
    outfile: join(serverDir, 'operation.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    define: { MCTL_BUILD: JSON.stringify({ runtimeConfig, migrations }) },
    // Bundled CommonJS dependencies require() Node's built-ins.
    banner: { js: 'import { createRequire as mctlRequire } from \'node:module\'; const require = mctlRequire(import.meta.url);' },
    logLevel: 'warning',
  })
}

// Built into static files: the landing page, the docs and the llms files. Everything else
// (/mcp, the console, the API) is rendered per request, so a crawled link never freezes it;
// /mcp in particular must stay dynamic (server/middleware/mcp.ts decides per Accept header).
const PRERENDERED = /^\/(?:$|_payload\.json$|docs(?:\/|$)|llms(?:-full)?\.txt$|__nuxt_content\/)/

export default defineNuxtConfig({
  compatibilityDate: '2026-05-01',
  srcDir: '.',
  dir: { app: '.' },
  // Inside the project (not node_modules/.cache) so separate work trees never share a build.
  buildDir: '.nuxt',
  modules: [
    '@nuxt/ui',
    '@nuxt/content',
    'nuxt-auth-utils',
    // Vue 3.5's useId() treats a component with an onServerPrefetch hook as an async boundary.
    // Nuxt strips that hook from client bundles, so after any icon (whose component has one)
    // client ids differ from server ids and hydrated form labels point at no input. Keeping
    // the (never called) hook on the client keeps ids equal on both sides.
    (_options: unknown, nuxt: { options: { optimization: { treeShake: { composables: { client: Record<string, string[]> } } } } }) => {
      const client = nuxt.options.optimization.treeShake.composables.client
      if (client.vue) client.vue = client.vue.filter(name => name !== 'onServerPrefetch')
    },
  ],
  css: ['~/assets/css/main.css'],
  devtools: { enabled: false },
  // Links fetch their page's code when a person points at or focuses them, not when they
  // scroll into view: a landing-page visitor never downloads the console.
  experimental: { defaults: { nuxtLink: { prefetchOn: { visibility: false, interaction: true } } } },
  // The landing page is static HTML and CSS: no Vue app to download (Nuxt's entry alone is
  // ~150 KB gzip) for a page of text and links. The page says so too (meta `scriptless`),
  // for its header's plain-HTML variant (components/app/AppHeader.vue).
  routeRules: { '/': { noScripts: true } },
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

  content: {
    // The built server restores the docs index from the dump inside the build into memory at
    // its first query: no file in the working directory, nothing shared between processes.
    database: { type: 'sqlite', filename: ':memory:' },
    build: {
      markdown: {
        toc: { depth: 3, searchDepth: 3 },
        // GitHub's high-contrast themes: the regular ones' token colours fail WCAG AA on the code
        // background (axe). @nuxt/ui colours light mode from the `light` key, so name it too.
        highlight: { theme: { light: 'github-light-high-contrast', default: 'github-light-high-contrast', dark: 'github-dark-high-contrast' }, langs: ['bash', 'sh', 'json', 'yaml', 'ts', 'http', 'ini'] },
      },
    },
  },

  // Settings are runtime config, each settable by its NUXT_* environment variable
  // (gitops.remoteUrl ← NUXT_GITOPS_REMOTE_URL): declared once, with type, default and
  // meaning, in server/settings-schema.ts, from which the README's table is generated.
  runtimeConfig: runtimeDefaults(),

  nitro: {
    hooks: {
      async compiled(nitro) {
        if (nitro.options.preset !== 'nitro-prerender') await bundleOperationRunner(nitro.options.output.serverDir, nitro.options.runtimeConfig)
      },
    },
    serverAssets: [{ baseName: 'migrations', dir: './db/migrations' }],
    // The interactive API reference (/docs/api) is Scalar's prebuilt browser bundle, served
    // from the app itself: no CDN, and no Vite pass over its 3.5 MB at every build.
    publicAssets: [{
      baseURL: '/_scalar',
      dir: fileURLToPath(new URL('./node_modules/@scalar/api-reference/dist/browser', import.meta.url)),
      maxAge: 60 * 60 * 24 * 7,
    }],
    prerender: {
      routes: ['/', '/docs', '/docs/_search.json', '/llms.txt', '/llms-full.txt'],
      crawlLinks: true,
      ignore: [(path: string) => !PRERENDERED.test(path)],
    },
  },
})
