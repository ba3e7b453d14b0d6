import type { z } from 'zod'
import type { Operation } from '~~/server/tools/operations/schemas'
import { tenantNameProblem } from '~~/shared/utils/names'

type Parameter = z.infer<typeof Operation>['parameters'][number]
export interface Bound<T> { default: T, maximum: T }
export interface QuotaBounds { cpu: Bound<string>, memory: Bound<string>, pods: Bound<number> }

/**
 * Quota defaults and platform limits for a new workspace, as mctl_get_operation reports them
 * for create-tenant (they come from mctl.yaml, so they are read, never assumed).
 */
export function useQuotaBounds() {
  return useFetch('/api/v1/operations/create-tenant', {
    key: 'create-tenant-bounds',
    transform: (op: { parameters: Parameter[] }): QuotaBounds => {
      const bound = (name: string) => op.parameters.find(p => p.name === name) as { default: never, maximum: never }
      return { cpu: bound('quota_cpu_req'), memory: bound('quota_memory_req'), pods: bound('quota_pods') }
    },
  })
}

export type Availability = 'unknown' | 'checking' | 'free' | 'taken'

/**
 * Whether a well-formed, unreserved name is still free, checked a moment after typing stops
 * (GET /api/v1/tenant-names/{name}: another's tenant answers 404 everywhere else, like none).
 */
export function useNameAvailability(name: Ref<string>, delayMs = 300) {
  const availability = ref<Availability>('unknown')
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = ''
  async function check(value: string) {
    asked = value
    const available = await $fetch<{ available: boolean }>(`/api/v1/tenant-names/${value}`).then(r => r.available, () => undefined)
    if (asked === value) availability.value = available === undefined ? 'unknown' : available ? 'free' : 'taken'
  }
  watch(name, (value) => {
    clearTimeout(timer)
    asked = ''
    if (tenantNameProblem(value)) {
      availability.value = 'unknown'
      return
    }
    availability.value = 'checking'
    timer = setTimeout(() => check(value), delayMs)
  })
  onScopeDispose(() => clearTimeout(timer))
  return availability
}

export interface NewWorkspace {
  tenant_name: string
  display_name?: string
  description?: string
  contact_email?: string
  quota_cpu_req: string
  quota_memory_req: string
  quota_pods: number
  allow_internet_egress: boolean
}

/** Starts the create-tenant operation (POST /api/v1/tenants); answers its id. */
export function useCreateWorkspace() {
  const api = useApi()
  return async (input: NewWorkspace) => {
    // Empty optional fields are left out, so the server applies its own defaults.
    const body = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== '' && v !== undefined))
    const answer = await api<{ operation_id: string }>('/api/v1/tenants', { method: 'POST', body })
    return answer.operation_id
  }
}
