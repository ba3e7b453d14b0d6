import { parse, parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { databaseChanges, databaseRemoval, pgName, withRole } from '../../server/gitops/databases'
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
const index = (cluster = CLUSTER) => ({ platform: PlatformSpec.parse({}), sharedPgCluster: cluster, tenant: () => undefined, allServices: () => [], allPreviews: () => [] }) as unknown as RepoIndex

describe('databases on the shared cluster', () => {
  it('names roles and databases without quoting', () => {
    expect(pgName('shop', 'api')).toBe('shop_api')
    expect(pgName('my-shop', 'order-api')).toBe('my_shop_order_api')
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
    let cluster = withRole(CLUSTER, 'shop', 'web', true)
    cluster = withRole(cluster, 'shop', 'api', true)
    expect(parse(cluster).spec.managed.roles.map((r: { name: string }) => r.name)).toEqual(['shop_api', 'shop_web'])
    const removal = databaseRemoval('shop', 'api', index(cluster))
    expect(removal.get('platform/databases/shared-pg/databases/shop-api.yaml')).toBeNull()
    expect(removal.get('tenants/shop/manifests/database-api.yaml')).toBeNull()
    expect(parse(removal.get('platform/databases/shared-pg/cluster.yaml')!).spec.managed.roles).toEqual([
      { name: 'shop_api', ensure: 'absent', comment: 'mctl: shop/api (retired)' },
      { name: 'shop_web', ensure: 'present', login: true, passwordSecret: { name: 'shop-web-credentials' }, comment: 'mctl: shop/web' },
    ])
    // Removing again changes nothing in cluster.yaml.
    expect(databaseRemoval('shop', 'api', index(removal.get('platform/databases/shared-pg/cluster.yaml')!)).has('platform/databases/shared-pg/cluster.yaml')).toBe(false)
  })

  it('refuses a shared-cluster object outside the database namespace', () => {
    const changes = new Map([['platform/databases/shared-pg/databases/x.yaml', 'apiVersion: postgresql.cnpg.io/v1\nkind: Database\nmetadata: {name: x, namespace: shop}\nspec: {name: x, owner: x, cluster: {name: shared-pg}}\n']])
    expect(() => checkPolicy(changes, index())).toThrow(/Database "x": must be in namespace "database"/)
  })
})
