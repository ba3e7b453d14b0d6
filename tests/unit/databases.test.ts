import { parse, parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { databaseChanges, databaseNames, databaseRemoval, withRole } from '../../server/gitops/databases'
import { checkPolicy } from '../../server/gitops/policy'
import { PlatformSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'

const CLUSTER = `# the shared cluster (a person's comment)
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: shared-pg
  namespace: database
spec:
  instances: 2
  storage:
    size: 20Gi
  managed:
    roles: []
`
type Entry = { path: string, name: string, tenant: string, app: string, dbName: string, owner: string }
const entry = (tenant: string, app: string, name: string, dbName: string): Entry => ({ path: `platform/databases/shared-pg/databases/${name}.yaml`, name, tenant, app, dbName, owner: dbName })
const index = (cluster = CLUSTER, entries: Entry[] = []) => {
  const databases = new Map(entries.map(e => [e.path, e]))
  return {
    platform: PlatformSpec.parse({}),
    sharedPgCluster: cluster,
    databases,
    database: (t: string, a: string) => [...databases.values()].find(d => d.tenant === t && d.app === a),
    tenant: () => undefined,
    allServices: () => [],
    allPreviews: () => [],
  } as unknown as RepoIndex
}

describe('databases on the shared cluster', () => {
  it('names roles and databases without quoting', () => {
    expect(databaseNames(index(), 'shop', 'api')).toEqual({ file: 'platform/databases/shared-pg/databases/shop-api.yaml', object: 'shop-api', pg: 'shop_api', credentials: 'shop-api-credentials' })
    expect(databaseNames(index(), 'my-shop', 'order-api').pg).toBe('my_shop_order_api')
  })

  it('never gives two tenants\' apps one name, though "<tenant>-<app>" is not one-to-one', () => {
    const taken = index(CLUSTER, [entry('q-a', 'b1', 'q-a-b1', 'q_a_b1')])
    expect(databaseNames(taken, 'q', 'a-b1')).toEqual({ file: 'platform/databases/shared-pg/databases/q-a-b1-2.yaml', object: 'q-a-b1-2', pg: 'q_a_b1_2', credentials: 'q-a-b1-2-credentials' })
    // An existing database keeps the names recorded in git.
    expect(databaseNames(taken, 'q-a', 'b1').pg).toBe('q_a_b1')
    // At the 63-character limit of PostgreSQL names (longer ones are cut) the suffix still fits.
    const [t, a] = ['t'.repeat(31), 'a'.repeat(31)]
    const other = databaseNames(index(CLUSTER, [entry('hand', 'made', `${t}-${a}`, 'hand_made')]), t, a)
    expect(other.object).toBe(`${t}-${a}-2`)
    expect(other.pg).toHaveLength(63)
    expect(other.pg.endsWith('_2')).toBe(true)
  })

  it('refuses, at commit, a database whose name another tenant\'s database holds', () => {
    const taken = index(CLUSTER, [entry('q-a', 'b1', 'q-a-b1', 'q_a_b1')])
    // What the old naming committed for tenant "q" app "a-b1": the same file, object and role.
    const clash = databaseChanges('q-a', 'b1', index())
    const relabel = (text: string) => text.replaceAll('mctl.dev/tenant: q-a', 'mctl.dev/tenant: q').replaceAll('mctl.dev/service: b1', 'mctl.dev/service: a-b1')
    const forged = new Map([...clash].filter(([p]) => p.includes('/databases/')).map(([p, c]) => [p, relabel(c!)]))
    expect(() => checkPolicy(forged, taken)).toThrow(/is the database of q-a\/b1, not of q\/a-b1/)
    const renamed = new Map([...forged].map(([p, c]) => [p.replace('q-a-b1.yaml', 'x.yaml'), c]))
    expect(() => checkPolicy(renamed, taken)).toThrow(/the name "q-a-b1" is already used by a database of another tenant$/)
    expect(() => checkPolicy(databaseChanges('q', 'a-b1', taken), taken)).not.toThrow()
  })

  it('renders the Database, the role secret, the app secret and the managed role — with no password', () => {
    const changes = databaseChanges('shop', 'api', index())
    expect([...changes.keys()].sort()).toEqual([
      'platform/databases/shared-pg/cluster.yaml',
      'platform/databases/shared-pg/databases/shop-api.yaml',
      'tenants/shop/manifests/database-api.yaml',
    ])
    const [database, credentials] = parseAllDocuments(changes.get('platform/databases/shared-pg/databases/shop-api.yaml')!).map(d => d.toJS())
    expect(database).toMatchObject({ kind: 'Database', metadata: { name: 'shop-api', namespace: 'database', labels: { 'mctl.dev/tenant': 'shop', 'mctl.dev/service': 'api' } }, spec: { name: 'shop_api', owner: 'shop_api', cluster: { name: 'shared-pg' } } })
    expect(credentials.spec.target.template).toMatchObject({ type: 'kubernetes.io/basic-auth', data: { username: 'shop_api', password: '{{ .password }}' } })
    expect(credentials.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'mctl/shop/api/database', property: 'password' } }])
    const app = parse(changes.get('tenants/shop/manifests/database-api.yaml')!)
    expect(app.metadata).toMatchObject({ name: 'api-database', namespace: 'shop' })
    expect(Object.keys(app.spec.target.template.data).sort()).toEqual(['DATABASE_URL', 'DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER'])
    expect(app.spec.target.template.data).toMatchObject({ DB_HOST: 'shared-pg-pooler-rw.database.svc', DB_PORT: '5432', DB_USER: 'shop_api', DB_NAME: 'shop_api' })
    const cluster = changes.get('platform/databases/shared-pg/cluster.yaml')!
    expect(cluster).toContain('# the shared cluster (a person\'s comment)')
    expect(parse(cluster).spec.managed.roles).toEqual([{ name: 'shop_api', ensure: 'present', login: true, passwordSecret: { name: 'shop-api-credentials' }, comment: 'mctl: shop/api' }])
    expect(() => checkPolicy(changes, index())).not.toThrow()
  })

  it('keeps other roles sorted and drops a retired one with ensure: absent', () => {
    const names = (app: string) => databaseNames(index(), 'shop', app)
    let cluster = withRole(CLUSTER, 'shop', 'web', names('web'), true)
    cluster = withRole(cluster, 'shop', 'api', names('api'), true)
    expect(parse(cluster).spec.managed.roles.map((r: { name: string }) => r.name)).toEqual(['shop_api', 'shop_web'])
    const api = [entry('shop', 'api', 'shop-api', 'shop_api')]
    const removal = databaseRemoval('shop', 'api', index(cluster, api))
    expect(removal.get('platform/databases/shared-pg/databases/shop-api.yaml')).toBeNull()
    expect(removal.get('tenants/shop/manifests/database-api.yaml')).toBeNull()
    expect(parse(removal.get('platform/databases/shared-pg/cluster.yaml')!).spec.managed.roles).toEqual([
      { name: 'shop_api', ensure: 'absent', comment: 'mctl: shop/api (retired)' },
      { name: 'shop_web', ensure: 'present', login: true, passwordSecret: { name: 'shop-web-credentials' }, comment: 'mctl: shop/web' },
    ])
    // Removing again changes nothing in cluster.yaml.
    expect(databaseRemoval('shop', 'api', index(removal.get('platform/databases/shared-pg/cluster.yaml')!, api)).has('platform/databases/shared-pg/cluster.yaml')).toBe(false)
  })

  it('refuses a shared-cluster object outside the database namespace', () => {
    const changes = new Map([['platform/databases/shared-pg/databases/x.yaml', 'apiVersion: postgresql.cnpg.io/v1\nkind: Database\nmetadata: {name: x, namespace: shop}\nspec: {name: x, owner: x, cluster: {name: shared-pg}}\n']])
    expect(() => checkPolicy(changes, index())).toThrow(/Database "x": must be in namespace "database"/)
  })
})
