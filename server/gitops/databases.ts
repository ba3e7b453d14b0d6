import { parseDocument } from 'yaml'
import { Database } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database'
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret'
import { serviceLabels } from './render/labels'
import type { Changes } from './repo'
import type { PlatformSpec } from './specs'
import { type RepoIndex, SHARED_PG_CLUSTER } from './state'
import { plain, toYaml, toYamlDocuments } from './yaml'

/**
 * Databases on the shared CloudNativePG cluster (GITOPS.md layout): per database a managed
 * role in cluster.yaml, a `Database` object, and two ExternalSecrets reading the generated
 * password from the secret store — one for CloudNativePG (the role's password), one in the
 * tenant namespace giving the app its connection variables. Git holds no password.
 */

export const SHARED_PG = {
  cluster: 'shared-pg',
  namespace: 'database',
  // The PgBouncer Pooler in front of the cluster (TOOLS.md: DB_PORT 5432, PgBouncer).
  host: 'shared-pg-pooler-rw.database.svc',
  port: 5432,
} as const

/** The file of a database named `object` (GITOPS.md: `databases/<tenant>-<app>.yaml`, suffixed when that name is taken). */
export const databasePath = (object: string) => `platform/databases/shared-pg/databases/${object}.yaml`
/** The tenant-side ExternalSecret: in the tenant's manifests folder, so it exists before the app does. */
export const databaseEnvPath = (tenant: string, app: string) => `tenants/${tenant}/manifests/database-${app}.yaml`
/** The Secret the app's pods read (`envFrom` in the service's Deployment). */
export const databaseSecretName = (app: string) => `${app}-database`
/** Secret-store key of the generated password (next to the app's own `mctl/<t>/<app>`). */
export const databaseSecretKey = (tenant: string, app: string) => `mctl/${tenant}/${app}/database`

/** PostgreSQL's identifier limit: longer names are silently cut, so two could meet. */
const PG_NAME_MAX = 63

/**
 * The names of one app's database on the shared cluster: its file, the `Database` object
 * (`object`, also the prefix of its credentials Secret) and the role and database in
 * PostgreSQL (`pg`: "-" becomes "_", as identifiers are used unquoted).
 */
export interface DatabaseNames { file: string, object: string, pg: string, credentials: string }

const namesOf = (object: string, pg: string): DatabaseNames => ({ file: databasePath(object), object, pg, credentials: `${object}-credentials` })

/**
 * The names `tenant/app`'s database has, or takes when it is new. Joining tenant and app
 * with "-" is not one-to-one (tenant "q-a" app "b1" and tenant "q" app "a-b1" both give
 * "q-a-b1"), so the names are not derived but recorded: the `Database` object in git is the
 * mapping, and a new database takes the first of `<tenant>-<app>`, `<tenant>-<app>-2`, … that
 * no other database holds. The policy check refuses any commit where two databases share a
 * name, and runs again in the serialized commit step, so two concurrent writes cannot both
 * take one.
 */
export function databaseNames(index: RepoIndex, tenant: string, app: string): DatabaseNames {
  const existing = index.database(tenant, app)
  if (existing) return namesOf(existing.name, existing.dbName)
  const base = `${tenant}-${app}`
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`
    const object = `${base}${suffix}`
    const pg = `${base.replace(/-/g, '_').slice(0, PG_NAME_MAX - suffix.length)}${suffix.replace('-', '_')}`
    if (!databaseNameTaken(index, object, pg)) return namesOf(object, pg)
  }
}

/** Whether a database file, object, role or PostgreSQL database of these names exists. */
function databaseNameTaken(index: RepoIndex, object: string, pg: string): boolean {
  if (index.databases.has(databasePath(object))) return true
  for (const d of index.databases.values()) if (d.name === object || d.dbName === pg || d.owner === pg) return true
  return false
}

function renderDatabase(tenant: string, app: string, names: DatabaseNames, platform: PlatformSpec) {
  const name = names.pg
  const labels = serviceLabels(tenant, app)
  const passwordRef = [{ secretKey: 'password', remoteRef: { key: databaseSecretKey(tenant, app), property: 'password' } }]
  const store = { kind: 'ClusterSecretStore', name: platform.secretStore }
  const database = plain(new Database({
    metadata: { name: names.object, namespace: SHARED_PG.namespace, labels },
    spec: {
      name,
      owner: name,
      cluster: { name: SHARED_PG.cluster },
      ensure: 'present',
      // Retiring the service removes this object: the database goes with it, then its role.
      databaseReclaimPolicy: 'delete',
    },
  }))
  const roleSecret = plain(new ExternalSecret({
    metadata: { name: names.credentials, namespace: SHARED_PG.namespace, labels },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: store,
      target: {
        name: names.credentials,
        creationPolicy: 'Owner',
        template: {
          type: 'kubernetes.io/basic-auth',
          // CloudNativePG reloads roles whose password secret carries this label.
          metadata: { labels: { 'cnpg.io/reload': 'true' } },
          data: { username: name, password: '{{ .password }}' },
        },
      },
      data: passwordRef,
    },
  }))
  const url = `postgresql://${name}:{{ .password | urlquery }}@${SHARED_PG.host}:${SHARED_PG.port}/${name}?sslmode=require`
  const appSecret = plain(new ExternalSecret({
    metadata: { name: databaseSecretName(app), namespace: tenant, labels },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: store,
      target: {
        name: databaseSecretName(app),
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          data: {
            DATABASE_URL: url,
            DB_HOST: SHARED_PG.host,
            DB_PORT: String(SHARED_PG.port),
            DB_USER: name,
            DB_PASSWORD: '{{ .password }}',
            DB_NAME: name,
          },
        },
      },
      data: passwordRef,
    },
  }))
  return {
    [names.file]: toYamlDocuments([database, roleSecret]),
    [databaseEnvPath(tenant, app)]: toYaml(appSecret),
  }
}

type Role = { name: string, ensure?: string, [k: string]: unknown }

/**
 * cluster.yaml with one managed role set (present, with its password secret) or marked
 * absent (CloudNativePG drops it; removing the entry would only stop managing it). Edited in
 * place, so a person's comments and other settings in the file survive.
 */
export function withRole(clusterYaml: string, tenant: string, app: string, names: DatabaseNames, present: boolean): string {
  const doc = parseDocument(clusterYaml)
  if (doc.errors.length) throw new Error(`${SHARED_PG_CLUSTER} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  const name = names.pg
  const roles = ((doc.getIn(['spec', 'managed', 'roles']) as { toJSON(): Role[] } | undefined)?.toJSON() ?? []).filter(r => r.name !== name)
  const role: Role = present
    ? { name, ensure: 'present', login: true, passwordSecret: { name: names.credentials }, comment: `mctl: ${tenant}/${app}` }
    : { name, ensure: 'absent', comment: `mctl: ${tenant}/${app} (retired)` }
  roles.push(role)
  roles.sort((a, b) => a.name.localeCompare(b.name))
  doc.setIn(['spec', 'managed', 'roles'], doc.createNode(roles))
  return doc.toString({ lineWidth: 0 })
}

function clusterYaml(index: RepoIndex): string {
  if (index.sharedPgCluster === null) throw new Error(`${SHARED_PG_CLUSTER} is missing from the GitOps repository: restore it to provision databases`)
  return index.sharedPgCluster
}

/** Everything a new database commits (the service's own `database: true` is the caller's). */
export function databaseChanges(tenant: string, app: string, index: RepoIndex): Changes {
  const names = databaseNames(index, tenant, app)
  return new Map<string, string | null>([
    ...Object.entries(renderDatabase(tenant, app, names, index.platform)),
    [SHARED_PG_CLUSTER, withRole(clusterYaml(index), tenant, app, names, true)],
  ])
}

/** Removing a database: its objects go, its role is dropped. Nothing to do when it is gone. */
export function databaseRemoval(tenant: string, app: string, index: RepoIndex): Changes {
  const entry = index.database(tenant, app)
  const changes: Changes = new Map([[databaseEnvPath(tenant, app), null]])
  if (!entry) return changes
  const names = namesOf(entry.name, entry.dbName)
  changes.set(entry.path, null)
  const roles = index.sharedPgCluster ? (parseDocument(index.sharedPgCluster).toJS()?.spec?.managed?.roles ?? []) as Role[] : []
  if (roles.some(r => r.name === names.pg && r.ensure !== 'absent')) changes.set(SHARED_PG_CLUSTER, withRole(index.sharedPgCluster!, tenant, app, names, false))
  return changes
}

const DATABASE_FILE = /^platform\/databases\/shared-pg\/databases\/[^/]+\.yaml$/

type DatabaseObject = { kind?: string, metadata?: { name?: string, labels?: Record<string, string> }, spec?: { name?: string, owner?: string } }

/**
 * GITOPS.md "Policy before commit" for the shared cluster, where names are global: after the
 * commit no two databases share an object, database or role name, and no database file of
 * one tenant's app is rewritten for another's. Checked when a write is accepted and again
 * in the serialized commit step.
 */
export function databaseViolations(changes: Changes, index: RepoIndex, objectsOf: (content: string) => DatabaseObject[]): string[] {
  const changed = [...changes].filter(([path]) => DATABASE_FILE.test(path))
  if (!changed.length) return []
  const after = new Map([...index.databases].filter(([path]) => !changes.has(path)).map(([path, d]) => [path, { owner: d.tenant && d.app ? `${d.tenant}/${d.app}` : path, names: [d.name, d.dbName, d.owner] }]))
  const problems: string[] = []
  for (const [path, content] of changed) {
    if (content === null) continue
    const db = objectsOf(content).find(o => o.kind === 'Database')
    const labels = db?.metadata?.labels ?? {}
    const owner = labels['mctl.dev/tenant'] && labels['mctl.dev/service'] ? `${labels['mctl.dev/tenant']}/${labels['mctl.dev/service']}` : path
    const before = index.databases.get(path)
    if (before?.tenant && before.app && `${before.tenant}/${before.app}` !== owner) problems.push(`${path} is the database of ${before.tenant}/${before.app}, not of ${owner}`)
    const names = [db?.metadata?.name, db?.spec?.name, db?.spec?.owner].filter((n): n is string => !!n)
    for (const [other, entry] of after) {
      const shared = names.find(n => entry.names.includes(n))
      // Another tenant's database is not named: whoever asked may not know that tenant exists.
      const holder = entry.owner.split('/')[0] === owner.split('/')[0] ? `the database of ${entry.owner} (${other})` : 'a database of another tenant'
      if (shared) problems.push(`${path}: the name "${shared}" is already used by ${holder}`)
    }
    after.set(path, { owner, names })
  }
  return problems
}
