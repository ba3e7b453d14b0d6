// Puts the response's CSP nonce on every <script> Nuxt renders (its inline payload and config).
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const nonce = event.context.cspNonce as string | undefined
    if (!nonce) return
    const stamp = (chunks: string[]) => chunks.map(c => c.replace(/<script(?![^>]*\snonce=)/g, `<script nonce="${nonce}"`))
    html.head = stamp(html.head)
    html.bodyPrepend = stamp(html.bodyPrepend)
    html.body = stamp(html.body)
    html.bodyAppend = stamp(html.bodyAppend)
  })
})
