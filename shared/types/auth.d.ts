// The browser session (nuxt-auth-utils, sealed cookie). Only who is signed in and the CSRF
// token live here; roles and groups are resolved per request on the server.
declare module '#auth-utils' {
  interface User {
    id: string
    name: string
    provider: string
  }
  interface UserSession {
    /** Sent back in the x-csrf-token header on state-changing requests. */
    csrf?: string
  }
  /** Never sent to the page. */
  interface SecureSessionData {
    /** The session's secret id; the server keeps its SHA-256 in web_sessions. */
    sid?: string
  }
}

export {}
