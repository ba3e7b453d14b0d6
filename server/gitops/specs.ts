import { z } from 'zod'
import { CPU_PATTERN, MEMORY_PATTERN } from '../../shared/utils/quantity'

/**
 * The spec files people edit and MCTL reads (GITOPS.md). Parsing fills defaults, so a
 * hand-written file may leave out what it does not care about.
 */

const cpu = z.union([z.string().regex(new RegExp(CPU_PATTERN)), z.number().positive()]).transform(String)
const memory = z.string().regex(new RegExp(MEMORY_PATTERN))
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost'])

export const Quotas = z.object({
  cpu,
  memory,
  pods: z.number().int().positive(),
})
export type Quotas = z.infer<typeof Quotas>

export const PlatformSpec = z.object({
  baseDomain: z.string().default('apps.example.com'),
  ingressClass: z.string().default('nginx'),
  clusterIssuer: z.string().default('letsencrypt'),
  /** The External Secrets ClusterSecretStore that service ExternalSecrets read from. */
  secretStore: z.string().default('mctl'),
  registry: z.string().default('ghcr.io'),
  /** Image registries services may pull from; empty allows any. */
  allowedRegistries: z.array(z.string()).default([]),
  adminGroups: z.array(z.string()).default([]),
  maxTenantsPerUser: z.number().int().nonnegative().default(1),
  defaultQuotas: Quotas.default({ cpu: '2', memory: '4Gi', pods: 20 }),
  /** Upper bounds a tenant may ask for in self-service. */
  quotaLimits: Quotas.default({ cpu: '16', memory: '64Gi', pods: 200 }),
  gitopsRepoUrl: z.string().default(''),
})
export type PlatformSpec = z.infer<typeof PlatformSpec>

export const Member = z.object({ userId: z.string().min(1), role: z.enum(['owner', 'member']) })
export type Member = z.infer<typeof Member>

export const TenantSpec = z.object({
  displayName: z.string(),
  /**
   * A random id given when the tenant is created: operations and audit entries record it, so a
   * later tenant of the same name sees none of a deleted one's history. Older tenant.yaml files
   * have none (incarnation "").
   */
  incarnation: z.string().optional(),
  description: z.string().default(''),
  contactEmail: z.string().default(''),
  members: z.array(Member).default([]),
  groups: z.array(z.string()).default([]),
  quotas: Quotas,
  networking: z.object({ allowInternetEgress: z.boolean().default(false) }).default({ allowInternetEgress: false }),
  /**
   * Where the incident agent posts this tenant's incidents and proposals, and who may press
   * Approve/Reject there: Telegram user id → MCTL user id (who must be an owner or admin).
   */
  /**
   * The tenant's own external agent (e.g. its OpenClaw): incidents of this tenant that no
   * YAML or built-in skill fixes are posted there, signed with HMAC-SHA256 like the global
   * remote skill. The signing key is never in git: it is the secret env var `secretRef.name`
   * of the tenant's service `secretRef.service` (set like any secret env var), read from the
   * secret store when a request is signed.
   */
  agent: z.object({
    webhookUrl: z.string().refine((v) => {
      const url = URL.parse(v)
      return url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.has(url.hostname))
    }, 'must be an https URL (http only on a loopback host)'),
    secretRef: z.object({ service: z.string().min(1), name: z.string().min(1) }),
    timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  }).optional(),
  telegram: z.object({
    chatId: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform(String),
    users: z.record(z.string().regex(/^\d+$/, 'keys are numeric Telegram user ids'), z.string().min(1)).default({}),
  }).optional(),
})
export type TenantSpec = z.infer<typeof TenantSpec>

/** The tenant's incarnation ("" for a tenant.yaml without one). */
export const incarnationOf = (spec: TenantSpec | undefined) => spec?.incarnation ?? ''

const Resources = z.object({
  requests: z.object({ cpu, memory }),
  limits: z.object({ cpu, memory }),
})

export const ServiceSpec = z.object({
  image: z.object({ repository: z.string().min(1), tag: z.string().min(1) }),
  port: z.number().int().min(1).max(65535).default(8080),
  componentType: z.enum(['web', 'worker']).default('web'),
  host: z.string().optional(),
  healthCheckPath: z.string().startsWith('/').default('/healthz'),
  resources: Resources.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
  replicas: z.number().int().nonnegative().optional(),
  autoscaling: z.object({
    minReplicas: z.number().int().positive(),
    maxReplicas: z.number().int().positive(),
    cpuThreshold: z.number().int().min(1).max(100).default(80),
  }).optional(),
  env: z.record(z.string(), z.string()).default({}),
  secretEnv: z.array(z.string()).default([]),
  database: z.boolean().default(false),
  domains: z.array(z.object({ name: z.string() })).default([]),
  source: z.object({ repository: z.string(), dockerfilePath: z.string().default('Dockerfile') }).optional(),
  /**
   * Bumped by every update-config: rendered as a pod-template annotation so the pods roll
   * (and ExternalSecrets refresh) even when only secret values changed.
   */
  configRevision: z.number().int().nonnegative().default(0),
})
export type ServiceSpec = z.infer<typeof ServiceSpec>

/** tenants/<t>/previews/<service>-<id>/preview.yaml (GITOPS.md). */
export const PreviewSpec = z.object({
  service: z.string().min(1),
  imageTag: z.string().min(1),
  createdBy: z.string().default(''),
  // A hand edit may write any ISO 8601 form; the reaper compares instants.
  expiresAt: z.string().refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time such as "2026-01-31T12:00:00Z"'),
})
export type PreviewSpec = z.infer<typeof PreviewSpec>
