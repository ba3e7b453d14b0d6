import { describe, expect, it } from 'vitest'
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../shared/utils/quantity'

describe('quantities', () => {
  it.each([['2', 2000], ['0.5', 500], ['1500m', 1500], [3, 3000], ['2 cores', null], ['-1', null]])('cpu %j = %j millicores', (q, m) => {
    expect(cpuMillis(q)).toBe(m)
  })
  it.each([['512Mi', 512 * 2 ** 20], ['4Gi', 4 * 2 ** 30], ['1G', 1e9], ['100', 100], ['4GB', null]])('memory %j = %j bytes', (q, b) => {
    expect(memoryBytes(q)).toBe(b)
  })
  it('formats back', () => {
    expect(formatCpu(1500)).toBe('1500m')
    expect(formatCpu(2000)).toBe('2')
    expect(formatMemory(4 * 2 ** 30)).toBe('4Gi')
    expect(formatMemory(768 * 2 ** 20)).toBe('768Mi')
    expect(formatMemory(0)).toBe('0')
  })
})
