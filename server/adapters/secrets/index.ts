import { join } from 'node:path'
import type { Db } from '../../db'
import type { Settings } from '../../settings'
import { EmbeddedStore, loadOrCreateKey } from './embedded'
import type { SecretStore } from './types'
import { VaultStore } from './vault'

export type { SecretStore } from './types'

/** Vault KV v2 when NUXT_VAULT_ADDR/NUXT_VAULT_TOKEN are set, else the embedded encrypted store. */
export function createSecretStore(settings: Settings, db: Db): SecretStore {
  if (settings.vault.addr) return new VaultStore(settings.vault)
  return new EmbeddedStore(db, loadOrCreateKey(join(settings.dataDir, 'secret.key')))
}
