/** An AI client a person authorized through OAuth, as the tokens page lists it (server and console share it). */
export interface ConnectedClient {
  /** The grant's id (not a secret: every access token of the grant carries it). */
  id: string
  clientId: string
  clientName: string
  /** Scopes by resource (e.g. `{ "https://mctl.example.com/mcp": ["read", "write"] }`). */
  scopes: Record<string, string[]>
  authorizedAt: string | null
  lastUsedAt: string | null
}
