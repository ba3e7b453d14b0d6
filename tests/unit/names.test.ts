import { describe, expect, it } from 'vitest'
import { labelProblem, tenantNameProblem } from '../../shared/utils/names'

describe('tenant names', () => {
  it.each([
    ['billing', null],
    ['a', null],
    ['team-42', null],
    ['a'.repeat(31), null],
    ['a'.repeat(32), /1–31 characters/],
    ['', /1–31 characters/],
    ['Billing', /lowercase/],
    ['9lives', /starting with a letter/],
    ['team-', /not ending with "-"/],
    ['../x', /1–31 characters/],
    ['a/b', /1–31 characters/],
    ['bіlling', /1–31 characters/], // Cyrillic і: a look-alike
    ['argocd', /reserved name/],
    ['mctl', /reserved name/],
    ['kube-public', /starting with "kube-"/],
    ['argonaut', /starting with "argo"/],
    ['vaultwarden', /starting with "vault"/],
    ['platform-x', /starting with "platform-"/],
    ['payments-system', /ending with "-system"/],
  ])('%j → %s', (name, expected) => {
    const problem = tenantNameProblem(name)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toMatch(expected)
  })

  it('only checks the pattern for existing tenants and services', () => {
    expect(labelProblem('argocd')).toBeNull()
    expect(labelProblem('a_b')).toMatch(/lowercase/)
  })
})
