import { z } from 'zod'
import { secretStoreKey } from '../../gitops/names'
import { checkPolicy } from '../../gitops/policy'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { checkProvisionable, ensureDatabasePassword } from '../../domain/databases/provision'
import { deployChanges, deployOperation, deployParams } from '../../domain/services/deploy'
import { componentName, envMap, HOST, imageRef, imageTag, scalingInput, teamName } from './inputs'

const input = z.object({
  action: z.enum(['onboard', 'deploy', 'update-config']).describe('onboard: create it (409 if it exists); deploy: roll out a new image tag; update-config: change env, secrets, scaling or settings'),
  team_name: teamName,
  component_name: componentName,
  image: imageRef.optional().describe('Image with its registry, e.g. "ghcr.io/org/app", optionally ":tag"'),
  dockerfile_repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/repo"').optional().describe('Build from this repository instead of image (image: <registry>/<owner>/<repo>:<git_tag>)'),
  git_tag: imageTag('Tag of dockerfile_repo to build (also the image tag)').optional(),
  image_tag: imageTag('Tag to run, e.g. "1.4.2"; needed for onboard and deploy unless image has one').optional(),
  dockerfile_path: z.string().max(255).regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, 'must be a relative path inside the repository').optional().describe('Path in dockerfile_repo (default "Dockerfile")'),
  port: z.number().int('must be a whole number from 1 to 65535').min(1, 'must be from 1 to 65535').max(65535, 'must be from 1 to 65535').optional().describe('Container port (default 8080)'),
  component_type: z.enum(['web', 'worker']).optional().describe('web: public host, TLS, health probes (default); worker: no Ingress'),
  host: z.string().max(253).regex(HOST, 'must be a lowercase DNS name such as "shop.example.com"').optional().describe('Public host: default "<team>-<service>.<baseDomain>", or a custom domain the tenant verified'),
  health_check_path: z.string().max(200).regex(/^\/\S*$/, 'must be a path starting with "/"').optional().describe('Readiness and liveness probe path (default "/healthz")'),
  env_vars: envMap('Plain env vars {NAME: value} (committed to git)').optional(),
  secret_env_vars: envMap('Secret env vars {NAME: value}, kept in the secret store, never in git, logs or answers').optional().meta({ secret: true }),
  clear_env: z.boolean().optional().describe('Remove all plain env vars first'),
  clear_secrets: z.boolean().optional().describe('Remove all secret env vars (and stored values) first'),
  provision_database: z.boolean().optional().describe('true: give it a PostgreSQL database (as mctl_provision_database, same commit); pods read DATABASE_URL and DB_* from "<service>-database". false: stop reading it (the database stays)'),
  ...scalingInput,
  wait_seconds: waitSeconds,
})

export default defineTool({
  name: 'mctl_deploy_service',
  title: 'Deploy a service',
  description: 'Onboard a service, deploy a new image tag, or update its configuration (env, secrets, scaling, port, host, health check): one GitOps commit each. Secret values go to the secret store, never echoed.',
  input,
  output: OperationResult,
  annotations: WRITE,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/services' },
  operation: deployOperation,
  async handler(ctx, { wait_seconds, secret_env_vars, ...rest }) {
    const { index, secrets } = ctx.services
    const values = secret_env_vars ?? {}
    const params = deployParams(rest, Object.keys(values), index)
    const newDatabase = params.provision_database && !index.database(rest.team_name, rest.component_name)
    if (newDatabase) checkProvisionable(index, rest.team_name, rest.component_name)
    // Everything that can be refused is refused now: before a value is stored or an operation queued.
    checkPolicy(deployChanges(params, index), index)
    if (newDatabase) await ensureDatabasePassword(secrets, rest.team_name, rest.component_name)
    // Stored at accept time, so nothing accepted is lost; the operation only ever sees names.
    if (Object.keys(values).length) await secrets.merge(secretStoreKey(rest.team_name, rest.component_name), values)
    return submitOperation(ctx, { operation: 'deploy-service', params: { ...params }, tenant: rest.team_name, service: rest.component_name, waitSeconds: wait_seconds })
  },
})
