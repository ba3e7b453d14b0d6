import { describe, expect, it } from 'vitest'
import { PlatformSpec, ServiceSpec, TenantSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'
import type { StepContext } from '../../server/operations/types'
import { deployOperation, deployParams, deployTitle, imageBuild, nextSpec } from '../../server/domain/services/deploy'
import type { DeployInput, DeployParams } from '../../server/domain/services/deploy-input'

const platform = PlatformSpec.parse({ registry: 'ghcr.io' })
const tenant = TenantSpec.parse({ displayName: 'Acme', quotas: { cpu: '4', memory: '8Gi', pods: 10 } })
const api = ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/api', tag: '1.0.0' }, env: { A: '1' }, secretEnv: ['S'] })
const index = {
  platform,
  tenant: (t: string) => t === 'acme' ? tenant : undefined,
  service: (t: string, s: string) => t === 'acme' && s === 'api' ? { tenant: t, name: s, spec: api } : undefined,
} as unknown as RepoIndex
const base = { team_name: 'acme', component_name: 'web' }
const params = (input: Partial<DeployInput>, secrets: string[] = []) => deployParams({ ...base, action: 'onboard', ...input } as DeployInput, secrets, index)

describe('deploy input', () => {
  it.each<[string, Partial<DeployInput>, object]>([
    ['an image with its tag', { image: 'ghcr.io/acme/web:2.1.0' }, { image: { repository: 'ghcr.io/acme/web', tag: '2.1.0' } }],
    ['an image and image_tag', { image: 'registry.acme.test:5000/web', image_tag: 'v3' }, { image: { repository: 'registry.acme.test:5000/web', tag: 'v3' } }],
    ['a repository to build', { dockerfile_repo: 'Acme/Web', git_tag: 'v1.2.0', dockerfile_path: 'docker/Dockerfile' }, {
      image: { repository: 'ghcr.io/acme/web', tag: 'v1.2.0' }, source: { repository: 'Acme/Web', dockerfilePath: 'docker/Dockerfile' },
    }],
  ])('onboards from %s', (_, input, expected) => {
    expect(params(input)).toMatchObject(expected)
  })

  /** Runs the build-image step as `engine` would, then the summary over its output. */
  async function outcome(p: DeployParams, idx: RepoIndex, engine: 'local' | 'argo') {
    const step = deployOperation.steps.find(s => s.name === 'build-image')!
    const result = await step.run({ params: p, services: { index: idx, settings: { engine: { kind: engine } } } } as unknown as StepContext<DeployParams>)
    return { step: result!.message, summary: deployOperation.summary!(p, result!.output ?? {}) }
  }

  it('says that the local engine expects the image from the repository\'s CI', async () => {
    const p = params({ dockerfile_repo: 'acme/web', git_tag: 'v1' })
    expect(await outcome(p, index, 'local')).toEqual({
      step: 'MCTL expects ghcr.io/acme/web:v1 to exist, built and pushed by acme/web\'s CI (the local engine does not build images)',
      summary: 'Service "acme/web" onboarded: ghcr.io/acme/web:v1; MCTL expects ghcr.io/acme/web:v1 to exist (built by acme/web\'s CI: the local engine does not build images)',
    })
    const built = { ...index, service: () => ({ spec: nextSpec(p, undefined) }) } as unknown as RepoIndex
    const next = deployParams({ ...base, action: 'deploy', git_tag: 'v2' }, [], built)
    expect(next).toMatchObject({ image: { tag: 'v2' }, source: { repository: 'acme/web' } })
    expect(imageBuild(next, built)).toEqual({ repository: 'acme/web', gitRef: 'refs/tags/v2', dockerfilePath: 'Dockerfile', destination: 'ghcr.io/acme/web:v2' })
    expect((await outcome(next, built, 'local')).summary).toMatch(/deployed: v1 → v2; MCTL expects ghcr.io\/acme\/web:v2 to exist \(built by acme\/web's CI/)
    expect((await outcome(next, built, 'argo')).summary).toBe('Service "acme/web" deployed: v1 → v2; the image was built from acme/web@v2')
  })

  it('builds nothing for an image given by reference or a configuration change', () => {
    expect(imageBuild(params({ image: 'ghcr.io/acme/web:2.1.0' }), index)).toBeNull()
    expect(imageBuild(deployParams({ team_name: 'acme', component_name: 'api', action: 'update-config', env_vars: { B: '2' } }, [], index), index)).toBeNull()
  })

  it.each<[string, Partial<DeployInput>, RegExp]>([
    ['no image', { image_tag: '1' }, /image: required to onboard/],
    ['no tag', { image: 'ghcr.io/acme/web' }, /image_tag: required to onboard/],
    ['two different tags', { image: 'ghcr.io/acme/web:1', image_tag: '2' }, /image_tag: conflicting tags given \(1, 2\)/],
    ['image and dockerfile_repo', { image: 'ghcr.io/a/b:1', dockerfile_repo: 'a/b' }, /image: give either image or dockerfile_repo/],
    ['a dockerfile_path alone', { image: 'ghcr.io/a/b:1', dockerfile_path: 'Dockerfile' }, /dockerfile_path: only applies with dockerfile_repo/],
    ['a host for a worker', { image: 'ghcr.io/a/b:1', component_type: 'worker', host: 'x.example.com' }, /host: only web components have a public host/],
    ['an existing service', { component_name: 'api', image: 'ghcr.io/a/b:1' }, /Service "acme\/api" already exists/],
    ['an unknown tenant', { team_name: 'nope', image: 'ghcr.io/a/b:1' }, /Tenant "nope" not found/],
    ['min over max', { image: 'ghcr.io/a/b:1', autoscaling_enabled: true, min_replicas: 4, max_replicas: 2 }, /min_replicas: must not be more than max_replicas/],
    ['a deploy without a tag', { action: 'deploy', component_name: 'api' }, /image_tag: required for deploy/],
    ['a deploy before onboarding', { action: 'deploy', image_tag: '2' }, /Service "acme\/web" not found: onboard it first/],
    ['an image change in update-config', { action: 'update-config', component_name: 'api', image_tag: '2' }, /update-config does not change the image/],
    ['a variable both plain and secret', { action: 'update-config', component_name: 'api', env_vars: { S: 'x' } }, /env_vars: "S" would be both a plain and a secret variable/],
  ])('refuses %s', (_, input, message) => {
    expect(() => params(input, input.action === 'update-config' && !input.env_vars ? ['S'] : [])).toThrow(message)
  })

  it('turns a deploy into a tag change, and update-config into a rolled config', () => {
    const deploy = params({ action: 'deploy', component_name: 'api', image_tag: '1.1.0' })
    expect(deploy.image).toEqual({ tag: '1.1.0' })
    expect(deployTitle(deploy)).toEqual({ verb: 'deploy', subject: 'acme/api', detail: '→ 1.1.0' })
    expect(nextSpec(deploy, api).image).toEqual({ repository: 'ghcr.io/acme/api', tag: '1.1.0' })

    const config = params({ action: 'update-config', component_name: 'api', env_vars: { B: '2' }, clear_secrets: true }, ['T'])
    expect(config.secret_names).toEqual(['T'])
    const spec = nextSpec(config, api)
    expect(spec).toMatchObject({ env: { A: '1', B: '2' }, secretEnv: ['T'], configRevision: 1 })
    expect(deployTitle(config)).toEqual({ verb: 'config', subject: 'acme/api', detail: 'env B; secrets cleared, set T' })
    expect(deployTitle(params({ action: 'update-config', component_name: 'api' }))).toMatchObject({ detail: 'restart' })
  })
})
