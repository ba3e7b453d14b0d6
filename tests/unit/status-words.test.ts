import { describe, expect, it } from 'vitest'
import { currentDeployIndex, NOT_APPLIED, statusWord } from '../../shared/utils/status'
import { syncStep } from '../../server/operations/steps'

describe('status words', () => {
  it('never says "succeeded" for a sync that applied nothing', async () => {
    const { message } = await syncStep.run({ services: { cluster: undefined } } as never)
    expect(message).toMatch(new RegExp(`^${NOT_APPLIED}`))
    expect(statusWord('succeeded', message)).toMatchObject({ label: 'committed — not applied', color: 'warning' })
    const applied = await syncStep.run({ services: { cluster: {} } } as never)
    expect(statusWord('succeeded', applied.message)).toMatchObject({ label: 'succeeded', color: 'success' })
  })

  it('names every other status as it is', () => {
    expect(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map(s => statusWord(s).label)).toEqual(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
    expect(statusWord('failed', NOT_APPLIED).color).toBe('error')
  })

  it('marks one deploy current after a rollback: the newest with the running image', () => {
    const history = [
      { tag: '1.0.0', image: 'web:1.0.0' }, // the rollback
      { tag: '1.1.0', image: 'web:1.1.0' },
      { tag: '1.0.0', image: 'web:1.0.0' }, // the deploy it returned to
    ]
    expect(currentDeployIndex(history, 'web:1.0.0')).toBe(0)
    expect(currentDeployIndex(history, 'web:2.0.0')).toBe(-1)
  })
})
