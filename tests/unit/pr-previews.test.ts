import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { PlatformSpec, ServiceSpec } from '../../server/gitops/specs'
import type { RepoIndex } from '../../server/gitops/state'
import type { StepContext } from '../../server/operations/types'
import { type PreviewParams, previewDeployOperation, previewImageBuild } from '../../server/domain/previews/preview'
import { signatureValid } from '../../server/domain/previews/pull-requests'

const SHA = `abcdef0${'1'.repeat(33)}`
const web = ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/web', tag: 'v1' }, source: { repository: 'Acme/Web', dockerfilePath: 'docker/Dockerfile' } })
const index = {
  platform: PlatformSpec.parse({ registry: 'ghcr.io' }),
  service: (t: string, s: string) => t === 'acme' && s === 'web' ? { tenant: t, name: s, spec: web } : undefined,
} as unknown as RepoIndex
const params = (extra: Partial<PreviewParams> = {}): PreviewParams => ({
  team_name: 'acme', component_name: 'web', image_tag: 'pr-42-abcdef0', preview_id: 'pr42', expires_at: '2030-01-01T00:00:00.000Z', created_by: 'github:octocat',
  pull_request: { repository: 'Acme/Web', number: 42, sha: SHA }, ...extra,
})

describe('a pull request\'s preview image', () => {
  it('is built from the pull request\'s head commit into <registry>/<owner>/<repo>:pr-<n>-<sha7>', () => {
    expect(previewImageBuild(params(), index)).toEqual({ repository: 'Acme/Web', gitRef: 'refs/pull/42/head', commit: SHA, dockerfilePath: 'docker/Dockerfile', destination: 'ghcr.io/acme/web:pr-42-abcdef0' })
    expect(previewImageBuild(params({ pull_request: undefined }), index)).toBeNull() // mctl_create_preview: an existing tag
  })

  it.each([
    ['argo', `Built ghcr.io/acme/web:pr-42-abcdef0 from Acme/Web@${SHA} (Workflow step build-image)`],
    ['local', 'MCTL expects ghcr.io/acme/web:pr-42-abcdef0 to exist, built and pushed by Acme/Web\'s CI (the local engine does not build images)'],
  ])('with the %s engine the step says who builds it', async (engine, message) => {
    const step = previewDeployOperation.steps.find(s => s.name === 'build-image')!
    const result = await step.run({ params: params(), services: { index, settings: { engine: { kind: engine } } } } as unknown as StepContext<PreviewParams>)
    expect(result!.message).toBe(message)
  })
})

describe('the webhook signature', () => {
  const body = '{"action":"opened"}'
  const sign = (secret: string, text = body) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`

  it('is the HMAC-SHA256 of the raw body under the secret', () => {
    expect(signatureValid('s3cret', body, sign('s3cret'))).toBe(true)
    expect(signatureValid('s3cret', body, sign('other'))).toBe(false)
    expect(signatureValid('s3cret', body, sign('s3cret', `${body} `))).toBe(false)
    expect(signatureValid('s3cret', body, sign('s3cret').replace('sha256=', 'sha1='))).toBe(false)
    expect(signatureValid('s3cret', body, undefined)).toBe(false)
    expect(signatureValid('s3cret', body, 'sha256=')).toBe(false)
  })
})
