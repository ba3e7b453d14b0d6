// Security headers on every response; the nonce is handed to the HTML renderer (plugins/csp.ts).
import { useRuntimeConfig } from '#imports'
import { newNonce, securityHeaders } from '../utils/security-headers'

export default defineEventHandler((event) => {
  const nonce = newNonce()
  event.context.cspNonce = nonce
  // The process-wide config (env applied at start): per-event copies cost a deep clone per request.
  const config = useRuntimeConfig()
  const forwardedHttps = config.trustProxy && getRequestHeader(event, 'x-forwarded-proto') === 'https'
  const https = String(config.public.baseUrl).startsWith('https:') || Boolean(forwardedHttps)
  setResponseHeaders(event, securityHeaders({ nonce, https }))
})
