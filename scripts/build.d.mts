// Types for the TypeScript callers (vitest global setup, Playwright config).
export declare const root: string
export declare function sourceHash(): string
export declare function ensureBuild(options?: { log?: (message: string) => void }): Promise<{ built: boolean, hash: string }>
