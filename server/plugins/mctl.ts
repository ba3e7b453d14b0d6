import { startMctl } from '../app'
import { loadSecret } from '../auth/oauth/keys'
import { prepareSessionEnv } from '../settings'

export default defineNitroPlugin((nitroApp) => {
  // Synchronously, before the server listens: session handling reads these on first use.
  prepareSessionEnv(useRuntimeConfig(), process.env, loadSecret)
  const migrations = useStorage('assets:migrations')
  const started = startMctl(useRuntimeConfig(), async (path) => {
    const raw = await migrations.getItemRaw(path)
    if (raw == null) return null
    return typeof raw === 'string' ? raw : Buffer.from(raw as Uint8Array).toString('utf8')
  })
  nitroApp.hooks.hook('close', async () => (await started).close())
})
