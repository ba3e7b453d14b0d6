import { describe, expect, it } from 'vitest'
import { ServiceSpec } from '../../server/gitops/specs'
import { percentile, recommend, withProfile } from '../../server/domain/optimization/profiles'
import { sizingQueries } from '../../server/domain/optimization/sizing'

const GiB = 2 ** 30

describe('the OpenClaw sizing rule (TOOLS.md)', () => {
  it.each([
    // memory max, memory p95, CPU max, CPU p95 → profile, reason
    [2.3 * GiB, 1 * GiB, 0.5, 0.2, 'startup', /memory max 2\.30 GiB ≥ 2\.3 GiB/],
    [2.29 * GiB, 1 * GiB, 1.2, 0.2, 'startup', /CPU max 1\.20 cores ≥ 1\.2 cores/],
    [2.2 * GiB, 1.3 * GiB, 1.19, 0.2, 'steady-medium', /memory p95 1\.30 GiB ≥ 1\.3 GiB/],
    [2.2 * GiB, 1.29 * GiB, 1.1, 0.7, 'steady-medium', /CPU p95 0\.70 cores ≥ 0\.7 cores/],
    [2.2 * GiB, 1.29 * GiB, 1.1, 0.69, 'steady-small', /memory p95 1\.29 GiB < 1\.3 GiB and CPU p95 0\.69 cores < 0\.7/],
    [0, 0, 0, 0, 'steady-small', /p95 0\.00 GiB/],
  ])('memory max %d, p95 %d, CPU max %d, p95 %d → %s', (memoryMax, memoryP95, cpuMax, cpuP95, profile, reason) => {
    const r = recommend({ memoryMax, memoryP95, cpuMax, cpuP95 })
    expect(r.profile).toBe(profile)
    expect(r.reason).toMatch(reason)
  })

  it('takes the nearest-rank percentile', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile([5, 1, 3], 95)).toBe(5)
    expect(percentile([], 95)).toBe(0)
  })

  it('applies a profile with its heap, keeping other NODE_OPTIONS flags', () => {
    const spec = ServiceSpec.parse({ image: { repository: 'ghcr.io/openclaw/openclaw', tag: '1' }, env: { NODE_OPTIONS: '--enable-source-maps --max-old-space-size=3072', OTHER: 'x' } })
    const small = withProfile(spec, 'steady-small')
    expect(small.resources).toEqual({ requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '2560Mi' } })
    expect(small.env).toEqual({ NODE_OPTIONS: '--enable-source-maps --max-old-space-size=1792', OTHER: 'x' })
    expect(withProfile(small, 'startup').env.NODE_OPTIONS).toBe('--enable-source-maps --max-old-space-size=3072')
  })

  it('asks for the working set and CPU rate of the Deployment\'s pods only', () => {
    const q = sizingQueries('shop', 'openclaw')
    expect(q.memory).toBe('sum by (pod) (container_memory_working_set_bytes{namespace="shop", pod=~"openclaw-[a-z0-9]+-[a-z0-9]+", container!="", container!="POD"})')
    expect(q.cpu).toBe('sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop", pod=~"openclaw-[a-z0-9]+-[a-z0-9]+", container!="", container!="POD"}[5m]))')
    const pods = new RegExp(`^(?:openclaw-[a-z0-9]+-[a-z0-9]+)$`)
    expect(['openclaw-7d9f8b6c5-x2x4z', 'openclaw-pa1b2c-7d9f8b6c5-x2x4z', 'openclaw-web-7d9f8b6c5-x2x4z'].map(p => pods.test(p))).toEqual([true, false, false])
  })
})
