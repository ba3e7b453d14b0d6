import { startMctl } from '../app'

export default defineNitroPlugin((nitroApp) => {
  const migrations = useStorage('assets:migrations')
  const started = startMctl(useRuntimeConfig(), async (path) => {
    const raw = await migrations.getItemRaw(path)
    if (raw == null) return null
    return typeof raw === 'string' ? raw : Buffer.from(raw as Uint8Array).toString('utf8')
  })
  nitroApp.hooks.hook('close', async () => (await started).close())
})
