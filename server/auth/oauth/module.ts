import type * as OidcProvider from 'oidc-provider'

export type OidcModule = typeof OidcProvider

const RUNTIME_NOTICE = 'oidc-provider WARNING: Unsupported runtime'
let loaded: Promise<OidcModule> | undefined

/**
 * oidc-provider, loaded once. Its 9.x line prints "Unsupported runtime" at import on Node 20
 * (it asks for 22), on every start; the suite proves it on Node 20 (README "Node.js 20"). That
 * one notice is dropped while the module loads; anything else it prints gets through.
 */
export function loadOidcProvider(): Promise<OidcModule> {
  loaded ??= (async () => {
    const warn = console.warn
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes(RUNTIME_NOTICE)) warn(...args)
    }
    try { return await import('oidc-provider') }
    finally { console.warn = warn }
  })()
  return loaded
}
