import { startMctl } from '../app'
import { loadSecret } from '../auth/oauth/keys'
import { prepareBaseUrl, prepareSessionEnv } from '../settings'

export default defineNitroPlugin((nitroApp) => {
  // The build prerenders the landing page and the docs with this same server. They read only
  // the registry and the docs, so the control plane (database, GitOps repository, engine)
  // must not start there: it would create ./data in the build's working directory.
  if (import.meta.prerender) return
  // Synchronously, before the server listens: pages and session handling read these on first use.
  prepareBaseUrl(process.env)
  prepareSessionEnv(useRuntimeConfig(), process.env, loadSecret)
  const migrations = useStorage('assets:migrations')
  const started = startMctl(useRuntimeConfig(), async (path) => {
    const raw = await migrations.getItemRaw(path)
    if (raw == null) return null
    return typeof raw === 'string' ? raw : Buffer.from(raw as Uint8Array).toString('utf8')
  })
  nitroApp.hooks.hook('close', async () => (await started).close())
})
