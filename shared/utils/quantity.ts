/** Kubernetes resource quantities, as far as quotas and requests need them. */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/
const UNITS: Record<string, number> = { '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40 }

export const CPU_PATTERN = CPU.source
export const MEMORY_PATTERN = MEMORY.source

/** Millicores of a CPU quantity ("2", "0.5", "1500m"), or null when malformed. */
export function cpuMillis(q: string | number): number | null {
  const m = CPU.exec(String(q))
  if (!m) return null
  return m[2] ? Number(m[1]) : Math.round(Number(m[1]) * 1000)
}

/** Bytes of a memory quantity ("512Mi", "4Gi", "1G"), or null when malformed. */
export function memoryBytes(q: string | number): number | null {
  const m = MEMORY.exec(String(q))
  if (!m) return null
  return Math.round(Number(m[1]) * UNITS[m[2] ?? '']!)
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`
}

export function formatMemory(bytes: number): string {
  // Zero is a multiple of every unit: without this it read "0Ti".
  if (bytes === 0) return '0'
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki'] as const) {
    if (bytes % UNITS[unit]! === 0) return `${bytes / UNITS[unit]!}${unit}`
  }
  return String(bytes)
}
