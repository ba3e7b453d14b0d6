// A loopback fake of Vault's KV version 2 engine at one mount: read, write (with
// check-and-set) at `/v1/<mount>/data/<path>`, delete all versions at
// `/v1/<mount>/metadata/<path>`, list a folder with GET `/v1/<mount>/metadata/<folder>?list=true`, X-Vault-Token authentication and Vault's error shapes.
import { json, listen, type Fake } from './http'

export interface FakeVault extends Fake {
  token: string
  /** path → versions, oldest first */
  secrets: Map<string, { data: Record<string, string>, created_time: string }[]>
  /** The current values of a path (what an ExternalSecret would read). */
  current(path: string): Record<string, string> | undefined
}

export async function startVaultFake(mount = 'secret', token = 'hvs.fake-root-token'): Promise<FakeVault> {
  const secrets: FakeVault['secrets'] = new Map()
  const data = new RegExp(`^/v1/${mount}/data/(.+)$`)
  const metadata = new RegExp(`^/v1/${mount}/metadata/(.+)$`)
  let m: RegExpExecArray | null
  const meta = (versions: { created_time: string }[]) =>
    ({ created_time: versions.at(-1)!.created_time, custom_metadata: null, deletion_time: '', destroyed: false, version: versions.length })
  const fake = await listen((req, res) => {
    if (req.headers['x-vault-token'] !== token) return json(res, 403, { errors: ['permission denied'] })
    if ((m = data.exec(req.path))) {
      const path = m[1]!
      const versions = secrets.get(path)
      if (req.method === 'GET') {
        if (!versions?.length) return json(res, 404, { errors: [] })
        return json(res, 200, { request_id: 'fake', lease_id: '', renewable: false, lease_duration: 0, data: { data: versions.at(-1)!.data, metadata: meta(versions) }, wrap_info: null, warnings: null, auth: null })
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        const body = JSON.parse(req.body || '{}')
        if (typeof body.data !== 'object' || body.data === null) return json(res, 400, { errors: ['no data provided'] })
        const cas = body.options?.cas
        if (cas !== undefined && cas !== (versions?.length ?? 0)) return json(res, 400, { errors: ['check-and-set parameter did not match the current version'] })
        const next = [...(versions ?? []), { data: body.data, created_time: new Date().toISOString() }]
        secrets.set(path, next)
        return json(res, 200, { request_id: 'fake', data: meta(next) })
      }
    }
    if ((m = metadata.exec(req.path)) && (req.method === 'LIST' || (req.method === 'GET' && req.query.get('list') === 'true'))) {
      // Vault lists the next segment of every key under the folder; sub-folders end with "/".
      const folder = `${m[1]!.replace(/\/$/, '')}/`
      const keys = [...new Set([...secrets.keys()].filter(k => k.startsWith(folder)).map((k) => {
        const rest = k.slice(folder.length)
        return rest.includes('/') ? `${rest.split('/')[0]}/` : rest
      }))].sort()
      if (!keys.length) return json(res, 404, { errors: [] })
      return json(res, 200, { request_id: 'fake', data: { keys } })
    }
    if ((m = metadata.exec(req.path)) && req.method === 'DELETE') {
      secrets.delete(m[1]!)
      return json(res, 204, null)
    }
    json(res, 404, { errors: [`no handler for route "${req.path.replace(/^\/v1\//, '')}". route entry not found.`] })
  })
  return { ...fake, token, secrets, current: path => secrets.get(path)?.at(-1)?.data }
}
