// Security headers (AUTH.md "Web security") on every response, and the CSP nonce on every
// <script> of every page. A Nitro `request` hook rather than a route middleware: middleware
// runs after Nitro's static handler, and the prerendered pages (landing, docs) and assets
// would go out without them.
import { useRuntimeConfig } from '#imports'
import { newNonce, PRERENDERED_NONCE, securityHeaders } from '../utils/security-headers'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    // A prerendered page is built once and served many times: it carries a placeholder,
    // and each response that serves it gets its own nonce (beforeResponse below).
    const nonce = import.meta.prerender ? PRERENDERED_NONCE : newNonce()
    event.context.cspNonce = nonce
    // The process-wide config (env applied at start): per-event copies cost a deep clone per request.
    const config = useRuntimeConfig()
    const forwardedHttps = config.trustProxy && getRequestHeader(event, 'x-forwarded-proto') === 'https'
    const https = String(config.public.baseUrl).startsWith('https:') || Boolean(forwardedHttps)
    setResponseHeaders(event, securityHeaders({ nonce, https }))
  })

  // Rendered pages: the nonce on every script Nuxt renders (its inline payload and config).
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const nonce = event.context.cspNonce as string | undefined
    if (!nonce) return
    const stamp = (chunks: string[]) => chunks.map(c => c.replace(/<script(?![^>]*\snonce=)/g, `<script nonce="${nonce}"`))
    html.head = stamp(html.head)
    html.bodyPrepend = stamp(html.bodyPrepend)
    html.body = stamp(html.body)
    html.bodyAppend = stamp(html.bodyAppend)
  })

  // Prerendered pages, served as files: this response's nonce in place of the placeholder.
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const nonce = event.context.cspNonce as string | undefined
    const body = response.body
    if (!nonce || nonce === PRERENDERED_NONCE || !(typeof body === 'string' || Buffer.isBuffer(body))) return
    if (!String(getResponseHeader(event, 'content-type') ?? '').startsWith('text/html')) return
    const html = body.toString()
    if (!html.includes(PRERENDERED_NONCE)) return
    // Same length: the Content-Length the file was served with still holds.
    response.body = html.replaceAll(PRERENDERED_NONCE, nonce)
    // Each response has its own nonce, in header and body: a cached copy revalidated under a
    // later response's header would have its scripts blocked. So: no validators.
    removeResponseHeader(event, 'etag')
    removeResponseHeader(event, 'last-modified')
    setResponseHeader(event, 'cache-control', 'no-cache')
  })
})
