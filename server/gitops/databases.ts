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

export const databasePath = (tenant: string, app: string) => `platform/databases/shared-pg/databases/${tenant}-${app}.yaml`
/** The tenant-side ExternalSecret: in the tenant's manifests folder, so it exists before the app does. */
export const databaseEnvPath = (tenant: string, app: string) => `tenants/${tenant}/manifests/database-${app}.yaml`
/** Role and database name in PostgreSQL (identifiers without quoting: "-" becomes "_"). */
export const pgName = (tenant: string, app: string) => `${tenant}_${app}`.replace(/-/g, '_')
/** The Secret the app's pods read (`envFrom` in the service's Deployment). */
export const databaseSecretName = (app: string) => `${app}-database`
/** Secret-store key of the generated password (next to the app's own `mctl/<t>/<app>`). */
export const databaseSecretKey = (tenant: string, app: string) => `mctl/${tenant}/${app}/database`
const credentialsName = (tenant: string, app: string) => `${tenant}-${app}-credentials`

function renderDatabase(tenant: string, app: string, platform: PlatformSpec) {
  const name = pgName(tenant, app)
  const labels = serviceLabels(tenant, app)
  const passwordRef = [{ secretKey: 'password', remoteRef: { key: databaseSecretKey(tenant, app), property: 'password' } }]
  const store = { kind: 'ClusterSecretStore', name: platform.secretStore }
  const database = plain(new Database({
    metadata: { name: `${tenant}-${app}`, namespace: SHARED_PG.namespace, labels },
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
    metadata: { name: credentialsName(tenant, app), namespace: SHARED_PG.namespace, labels },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: store,
      target: {
        name: credentialsName(tenant, app),
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
    [databasePath(tenant, app)]: toYamlDocuments([database, roleSecret]),
    [databaseEnvPath(tenant, app)]: toYaml(appSecret),
  }
}

type Role = { name: string, ensure?: string, [k: string]: unknown }

/**
 * cluster.yaml with one managed role set (present, with its password secret) or marked
 * absent (CloudNativePG drops it; removing the entry would only stop managing it). Edited in
 * place, so a person's comments and other settings in the file survive.
 */
export function withRole(clusterYaml: string, tenant: string, app: string, present: boolean): string {
  const doc = parseDocument(clusterYaml)
  if (doc.errors.length) throw new Error(`${SHARED_PG_CLUSTER} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  const name = pgName(tenant, app)
  const roles = ((doc.getIn(['spec', 'managed', 'roles']) as { toJSON(): Role[] } | undefined)?.toJSON() ?? []).filter(r => r.name !== name)
  const role: Role = present
    ? { name, ensure: 'present', login: true, passwordSecret: { name: credentialsName(tenant, app) }, comment: `mctl: ${tenant}/${app}` }
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
  return new Map<string, string | null>([
    ...Object.entries(renderDatabase(tenant, app, index.platform)),
    [SHARED_PG_CLUSTER, withRole(clusterYaml(index), tenant, app, true)],
  ])
}

/** Removing a database: its objects go, its role is dropped. Nothing to do when it is gone. */
export function databaseRemoval(tenant: string, app: string, index: RepoIndex): Changes {
  const changes: Changes = new Map([[databasePath(tenant, app), null], [databaseEnvPath(tenant, app), null]])
  const role = pgName(tenant, app)
  const roles = index.sharedPgCluster ? (parseDocument(index.sharedPgCluster).toJS()?.spec?.managed?.roles ?? []) as Role[] : []
  if (roles.some(r => r.name === role && r.ensure !== 'absent')) changes.set(SHARED_PG_CLUSTER, withRole(index.sharedPgCluster!, tenant, app, false))
  return changes
}

/** The database a tenant/app would take, and who already holds that name (names are global on the cluster). */
export function databaseNameHolder(index: RepoIndex, tenant: string, app: string): string | null {
  const taken = index.databases.get(databasePath(tenant, app)) ?? [...index.databases.values()].find(d => d.dbName === pgName(tenant, app))
  return taken ? (taken.tenant && taken.app ? `${taken.tenant}/${taken.app}` : taken.path) : null
}
