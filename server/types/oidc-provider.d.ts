// oidc-provider 9 ships no type declarations; these cover the parts MCTL uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export type KoaContextWithOIDC = any
  export type Configuration = Record<string, any>

  export interface ClientMetadata { [key: string]: unknown }
  export class Client {
    clientId: string
    clientName?: string
    redirectUris: string[]
    static find(id: string): Promise<Client | undefined>
    redirectUriAllowed(uri: string): boolean
  }

  export class Grant {
    constructor(init: { accountId: string, clientId: string })
    addResourceScope(resource: string, scope: string): void
    addOIDCScope(scope: string): void
    save(): Promise<string>
    static find(id: string): Promise<Grant | undefined>
  }

  export interface Interaction {
    uid: string
    params: Record<string, any>
    prompt: { name: string, reasons: string[], details: Record<string, any> }
    session?: { accountId?: string, uid?: string }
    grantId?: string
    returnTo: string
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration)
    proxy: boolean
    issuer: string
    Client: typeof Client
    Grant: typeof Grant
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> | void): void
    on(event: string, listener: (...args: any[]) => void): void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>
  }

  export const errors: Record<string, new (description?: string, detail?: string) => Error> & {
    InvalidClientMetadata: new (description?: string) => Error
    InvalidRedirectUri: new (description?: string) => Error
    InvalidTarget: new (description?: string) => Error
  }

  export const interactionPolicy: {
    base(): any
    Prompt: new (...args: any[]) => any
    Check: (new (reason: string, description: string, checkOrError: any, ...rest: any[]) => any) & { REQUEST_PROMPT: boolean, NO_NEED_TO_PROMPT: boolean }
  }

  export default Provider
}
