import type { Settings } from '../../settings'
import { upstream } from '../../utils/errors'
import { answerReason, callHttp, type HttpAnswer } from '../http'
import type { SecretStore } from './types'

const CAS_ATTEMPTS = 5

/**
 * Vault's KV version 2 engine over HTTP: `<mount>/data/<key>` to read and write,
 * `<mount>/metadata/<key>` to remove a key with all its versions (and, with `?list=true`,
 * to list the keys under a folder). Writes are
 * check-and-set against the version read, so two concurrent merges never lose a value.
 */
export class VaultStore implements SecretStore {
  readonly kind = 'vault'
  constructor(private readonly settings: Settings['vault']) {}

  async merge(key: string, values: Record<string, string>) {
    await this.update(key, current => ({ ...current, ...values }))
  }

  async retain(key: string, names: string[]) {
    const { data } = await this.read(key)
    const keep = Object.fromEntries(Object.entries(data).filter(([k]) => names.includes(k)))
    if (Object.keys(keep).length === Object.keys(data).length) return
    // A plain write would keep the removed values in older versions: start the key afresh.
    await this.remove(key)
    if (Object.keys(keep).length) await this.update(key, () => keep)
  }

  async remove(key: string) {
    const answer = await this.http('DELETE', `metadata/${key}`, `removing secret ${key} from Vault`)
    if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404) this.fail(`removing secret ${key} from Vault`, answer)
  }

  async removeUnder(prefix: string) {
    const what = `listing secrets under ${prefix} in Vault`
    const answer = await this.http('GET', `metadata/${prefix}?list=true`, what)
    if (answer.status === 404) return
    if (answer.status !== 200) this.fail(what, answer)
    // Folders end with "/": their keys are listed (and removed) in turn.
    for (const name of (answer.body?.data?.keys ?? []) as string[]) {
      if (name.endsWith('/')) await this.removeUnder(`${prefix}/${name.slice(0, -1)}`)
      else await this.remove(`${prefix}/${name}`)
    }
  }

  async value(key: string, name: string) {
    return (await this.read(key)).data[name] ?? null
  }

  async names(key: string) {
    return Object.keys((await this.read(key)).data).sort()
  }

  private async update(key: string, change: (current: Record<string, string>) => Record<string, string>) {
    const what = `writing secret ${key} to Vault`
    for (let attempt = 1; ; attempt++) {
      const { data, version } = await this.read(key)
      const answer = await this.http('POST', `data/${key}`, what, { options: { cas: version }, data: change(data) })
      if (answer.status === 200 || answer.status === 204) return
      const lostRace = answer.status === 400 && /check-and-set/i.test(answerReason(answer))
      if (!lostRace || attempt >= CAS_ATTEMPTS) this.fail(what, answer)
    }
  }

  private async read(key: string): Promise<{ data: Record<string, string>, version: number }> {
    const what = `reading secret ${key} from Vault`
    const answer = await this.http('GET', `data/${key}`, what)
    if (answer.status === 404) {
      // A soft-deleted latest version answers 404 too, with its metadata: write on top of it.
      return { data: {}, version: answer.body?.data?.metadata?.version ?? 0 }
    }
    if (answer.status !== 200) this.fail(what, answer)
    return { data: answer.body?.data?.data ?? {}, version: answer.body?.data?.metadata?.version ?? 0 }
  }

  private http(method: string, path: string, what: string, body?: unknown) {
    return callHttp(what, `${this.settings.addr}/v1/${this.settings.mount}/${path}`, {
      method,
      body,
      headers: { 'X-Vault-Token': this.settings.token },
      timeoutMs: this.settings.timeoutMs,
    })
  }

  private fail(what: string, answer: HttpAnswer): never {
    throw upstream(`${what}: ${answerReason(answer)}`)
  }
}
