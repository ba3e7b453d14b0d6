import { z } from 'zod'
import { deployHistory } from '../../gitops/history'
import { applicationName } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { Service } from '../schemas'
import { service, team } from './inputs'
import { requireService, serviceView } from '../../domain/services/view'

const resources = z.object({ cpu: z.string(), memory: z.string() })

export default defineTool({
  name: 'mctl_get_service_config',
  title: 'Get service configuration',
  description: 'A service\'s desired configuration from GitOps (image, host, probes, resources, scaling, env, secret names but never values, domains) and its last 20 deploys.',
  input: z.object({ team, service }),
  output: Service.extend({
    image: z.string().describe('The full image reference that runs: repository:tag'),
    source: z.object({ repository: z.string(), dockerfilePath: z.string() }).nullable().describe('The repository the image is built from, when onboarded from dockerfile_repo'),
    healthCheckPath: z.string(),
    probes: z.object({ path: z.string(), port: z.number().int() }).nullable().describe('HTTP readiness and liveness probes (web components)'),
    resources: z.object({ requests: resources, limits: resources }),
    env: z.record(z.string(), z.string()).describe('Plain env vars (they are in git)'),
    secretEnv: z.array(z.string()).describe('Names of the secret env vars; their values are in the secret store only'),
    argocdApplication: z.string(),
    configRevision: z.number().int().describe('Bumped by every update-config (rolls the pods)'),
    history: z.array(z.object({
      tag: z.string(),
      image: z.string(),
      commit: z.string(),
      author: z.string(),
      time: z.string(),
      operation: z.string().describe('The commit verb (onboard, deploy, rollback, …) or "manual" for a commit MCTL did not make'),
      operationId: z.string().nullable(),
    })).describe('The last 20 deploys, newest first'),
  }),
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.team }),
  rest: { method: 'GET', path: '/api/v1/services/{team}/{service}/config' },
  async handler({ services: { index, repo } }, { team, service }) {
    const spec = requireService(index, team, service)
    const history = await deployHistory(repo, team, service, 20)
    return {
      ...serviceView({ tenant: team, name: service, spec }, index.platform),
      image: `${spec.image.repository}:${spec.image.tag}`,
      source: spec.source ?? null,
      healthCheckPath: spec.healthCheckPath,
      probes: spec.componentType === 'web' ? { path: spec.healthCheckPath, port: spec.port } : null,
      resources: spec.resources,
      env: spec.env,
      secretEnv: spec.secretEnv,
      argocdApplication: applicationName(team, service),
      configRevision: spec.configRevision,
      history: history.map(({ tag, image, commit, author, time, operation, operationId }) => ({ tag, image, commit, author, time, operation, operationId })),
    }
  },
})
