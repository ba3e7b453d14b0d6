const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/**
 * The page a browser sees when an authorization request cannot go back to the client (unknown
 * client, redirect URI not registered): what went wrong in words, self-contained (no external
 * fonts or scripts, so the strict CSP holds).
 */
export async function renderError(ctx: { type: string, body: unknown }, out: { error?: string, error_description?: string }) {
  ctx.type = 'html'
  ctx.body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization failed — MCTL</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#0f172a}code{background:#f1f5f9;padding:.1rem .3rem;border-radius:.25rem}</style>
</head><body>
<h1>Authorization failed</h1>
<p><code>${escape(out.error)}</code></p>
<p>${escape(out.error_description)}</p>
<p>Nothing was granted. Go back to the application that sent you here and try again, or ask its maintainer to check its OAuth client registration.</p>
</body></html>`
}
