import { Service } from 'kubernetes-models/v1/Service'
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar'
import type { IProbe } from 'kubernetes-models/v1/Probe'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate'
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret'
import { databaseSecretName } from '../databases'
import { serviceHost } from '../hosts'
import { secretStoreKey } from '../names'
import type { PlatformSpec, ServiceSpec } from '../specs'
import type { Changes } from '../repo'
import { serviceDir, serviceSpecPath } from '../state'
import { plain, toYaml, toYamlDocuments } from '../yaml'
import { serviceLabels, serviceSelector } from './labels'

export const manifestsDir = (tenant: string, name: string) => `${serviceDir(tenant, name)}/manifests`
export const secretsName = (name: string) => `${name}-secrets`
const REVISION = 'mctl.dev/config-revision'

/** One certificate (and TLS secret) per host, so a custom domain whose DNS is not ready yet never blocks the main host. */
export const certificateName = (name: string, host: string, main: boolean) => main ? `${name}-tls` : `${name}-${host.replace(/\./g, '-')}-tls`

export interface RenderOptions {
  /** Secret-store key of the secret env vars (a preview reads its service's values). */
  storeKey?: string
  /** Labels over the usual ones (a preview names its service and its id). */
  labels?: Record<string, string>
  /** Where the files go (a preview's own folder). */
  dir?: string
}

/**
 * The Kubernetes manifests of a service, rendered from service.yaml: pure and deterministic
 * (same spec, same bytes; the policy check validates every object against its schema). Web
 * components get a Service, an Ingress on their host(s) and cert-manager Certificates from
 * the platform's cluster issuer; workers only a Deployment and a Service. An HPA replaces the fixed replica
 * count when autoscaling; secret env vars come through an ExternalSecret (names only).
 */
export function renderServiceManifests(tenant: string, name: string, spec: ServiceSpec, platform: PlatformSpec, opts: RenderOptions = {}): Record<string, string> {
  const labels = { ...serviceLabels(tenant, name), ...opts.labels }
  const meta = { name, namespace: tenant, labels }
  const selector = serviceSelector(tenant, name)
  const revision = { [REVISION]: String(spec.configRevision) }
  const web = spec.componentType === 'web'
  const secretNames = [...spec.secretEnv].sort()

  const env: IEnvVar[] = [
    ...Object.keys(spec.env).sort().map(k => ({ name: k, value: spec.env[k]! })),
    ...secretNames.map(k => ({ name: k, valueFrom: { secretKeyRef: { name: secretsName(name), key: k } } })),
  ]
  const probe = (initialDelaySeconds: number, periodSeconds: number): IProbe =>
    ({ httpGet: { path: spec.healthCheckPath, port: 'http' }, initialDelaySeconds, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 })

  const deployment = plain(new Deployment({
    metadata: meta,
    spec: {
      // With an HPA the replica count is the HPA's: leaving it out keeps Argo CD from fighting it.
      ...(spec.autoscaling ? {} : { replicas: spec.replicas ?? 1 }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, annotations: revision },
        spec: {
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name,
            image: `${spec.image.repository}:${spec.image.tag}`,
            ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
            ...(env.length ? { env } : {}),
            // Filled by the database provisioning; optional so the pods start before it exists.
            ...(spec.database ? { envFrom: [{ secretRef: { name: databaseSecretName(name), optional: true } }] } : {}),
            resources: spec.resources,
            ...(web ? { readinessProbe: probe(5, 10), livenessProbe: probe(15, 20) } : {}),
            securityContext: { allowPrivilegeEscalation: false },
          }],
        },
      },
    },
  }))

  const service = plain(new Service({
    metadata: meta,
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  }))

  const dir = opts.dir ?? manifestsDir(tenant, name)
  const files: Record<string, string> = {
    [`${dir}/deployment.yaml`]: toYaml(deployment),
    [`${dir}/service.yaml`]: toYaml(service),
  }

  const main = serviceHost(tenant, name, spec, platform)
  if (main) {
    const hosts = [main, ...spec.domains.map(d => d.name).filter(d => d !== main)]
    const ingress = plain(new Ingress({
      metadata: meta,
      spec: {
        ingressClassName: platform.ingressClass,
        tls: hosts.map((h, i) => ({ hosts: [h], secretName: certificateName(name, h, i === 0) })),
        rules: hosts.map(host => ({
          host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] },
        })),
      },
    }))
    const certificates = hosts.map((h, i) => plain(new Certificate({
      metadata: { ...meta, name: certificateName(name, h, i === 0) },
      spec: { secretName: certificateName(name, h, i === 0), dnsNames: [h], issuerRef: { kind: 'ClusterIssuer', name: platform.clusterIssuer } },
    })))
    files[`${dir}/ingress.yaml`] = toYaml(ingress)
    files[`${dir}/certificates.yaml`] = toYamlDocuments(certificates)
  }

  if (spec.autoscaling) {
    files[`${dir}/hpa.yaml`] = toYaml(plain(new HorizontalPodAutoscaler({
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: spec.autoscaling.minReplicas,
        maxReplicas: spec.autoscaling.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.autoscaling.cpuThreshold } } }],
      },
    })))
  }

  if (secretNames.length) {
    files[`${dir}/externalsecret.yaml`] = toYaml(plain(new ExternalSecret({
      // Changing an annotation makes External Secrets fetch again at once (its "force sync"),
      // so the pods rolled by an update-config see the new values.
      metadata: { ...meta, annotations: revision },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: platform.secretStore },
        target: { name: secretsName(name), creationPolicy: 'Owner' },
        data: secretNames.map(k => ({ secretKey: k, remoteRef: { key: opts.storeKey ?? secretStoreKey(tenant, name), property: k } })),
      },
    })))
  }
  return files
}

/**
 * The file changes that make the repository hold `spec` for a service: the spec and its
 * manifests, rendered afresh (the manifests folder is replaced, so an object the spec no
 * longer asks for, e.g. the HPA after a switch to fixed replicas, disappears).
 */
export function serviceChanges(tenant: string, name: string, spec: ServiceSpec, platform: PlatformSpec): Changes {
  return new Map<string, string | null>([
    [manifestsDir(tenant, name), null],
    [serviceSpecPath(tenant, name), toYaml(spec)],
    ...Object.entries(renderServiceManifests(tenant, name, spec, platform)),
  ])
}
