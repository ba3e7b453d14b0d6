import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose'

/** The OAuth server's signing key set: private JWKs for oidc-provider, public ones for verifying. */
export interface SigningKeys {
  privateJwks: { keys: JWK[] }
  publicJwks: { keys: JWK[] }
  verifier: ReturnType<typeof createLocalJWKSet>
}

/**
 * Signing keys are generated on first start and kept in the data directory (mode 0600), so
 * tokens survive restarts. Rotation: add a key to the file, restart, move it first, restart.
 */
export async function loadSigningKeys(file: string): Promise<SigningKeys> {
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(privateKey)
    const key = { ...jwk, alg: 'ES256', use: 'sig', kid: await calculateJwkThumbprint(jwk) }
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify({ keys: [key] }, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
  }
  const privateJwks = JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] }
  if (!privateJwks.keys?.length) throw new Error(`${file} holds no keys`)
  const publicJwks = { keys: privateJwks.keys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub) }
  return { privateJwks, publicJwks, verifier: createLocalJWKSet(publicJwks) }
}

/** A random secret kept in the data dir (created once, mode 0600): the session password. */
export function loadSecret(file: string, bytes = 32): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    try {
      writeFileSync(file, `${randomBytes(bytes).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
    }
    catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  return readFileSync(file, 'utf8').trim()
}
