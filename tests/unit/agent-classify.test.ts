import { describe, expect, it } from 'vitest'
import { classify } from '../../server/agent/classify'
import { noFixReason } from '../../server/agent/worker'

const alert = (alertname: string, severity: string, type = 'other') => ({ alertname, severity, type, labels: {}, tenant: 'shop', service: 'api' })

describe('classification', () => {
  it.each([
    [alert('Watchdog', 'none', 'meta'), 'suppressed', /meta-alert/],
    [alert('InfoInhibitor', 'none'), 'suppressed', /meta-alert/],
    [alert('CPUThrottlingHigh', 'info', 'cpu'), 'informational', /severity "info"/],
    [alert('KubePodOOMKilled', 'critical', 'oom'), 'actionable', /critical alert KubePodOOMKilled \(oom\) on shop\/api/],
  ])('%j is %s', (incident, kind, reason) => {
    const c = classify(incident)
    expect(c.kind).toBe(kind)
    expect(c.reason).toMatch(reason)
  })
})

describe('why the agent did not act', () => {
  it('puts refusals and findings before what did not apply', () => {
    expect(noFixReason([
      { skill: 'memory-raise', source: 'built-in', result: 'refused', reason: 'Policy check failed: over quota' },
      { skill: 'rollback', source: 'built-in', result: 'skipped', reason: 'no recent deploy' },
      { skill: 'drift-report', source: 'built-in', result: 'reported', reason: 'OutOfSync' },
    ], ['platform/skills/x.yaml: match: Required'])).toBe('No fix proposed. memory-raise refused: Policy check failed: over quota. drift-report reports: OutOfSync. No skill applies (rollback: no recent deploy). Skill files ignored: platform/skills/x.yaml: match: Required.')
  })
})
