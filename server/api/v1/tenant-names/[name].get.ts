import { useServices } from '../../../app'
import { tenantNameAvailability } from '../../../rest/tenant-names'

// Whether a tenant name is free, for the console's create form (a file route wins over the catch-all).
export default defineEventHandler(async event => tenantNameAvailability(event, await useServices(), getRouterParam(event, 'name', { decode: true }) ?? ''))
