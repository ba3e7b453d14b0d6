import { listenUrl } from '../settings'

/**
 * Nitro's node server announces `Listening on http://[::]:3000`: the address it bound, which
 * is not a URL a person can open. It says the URL instead (`http://localhost:3000`, as the
 * start banner does); the next log line goes out untouched.
 */
export default defineNitroPlugin(() => {
  if (import.meta.prerender) return
  const log = console.log
  console.log = (...args: unknown[]) => {
    if (typeof args[0] !== 'string' || !args[0].startsWith('Listening on ')) return log(...args)
    console.log = log
    log(`Listening on ${listenUrl()}`)
  }
})
