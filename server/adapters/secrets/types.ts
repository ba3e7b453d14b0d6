/**
 * Where secret env var values live. Keys are `mctl/<tenant>/<service>` (the ExternalSecret's
 * remoteRef.key); each key holds a map of variable name → value. Values go in and never come
 * back out through MCTL: only names are read.
 */
export interface SecretStore {
  readonly kind: 'vault' | 'embedded'
  /** Sets these variables, keeping the others of the key. */
  merge(key: string, values: Record<string, string>): Promise<void>
  /** Keeps only `names`; removed values do not linger in older versions. */
  retain(key: string, names: string[]): Promise<void>
  /** Removes the key with every version of every value. Missing is fine. */
  remove(key: string): Promise<void>
  /** Removes every key under `prefix/` (e.g. `mctl/<tenant>`: all a tenant left behind), as `remove` does. */
  removeUnder(prefix: string): Promise<void>
  /** One value, for MCTL's own use only (signing a tenant's agent webhook); never shown. Null when unset. */
  value(key: string, name: string): Promise<string | null>
  /** The variable names stored under the key (sorted). */
  names(key: string): Promise<string[]>
}
