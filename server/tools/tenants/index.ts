import createTenant from './create-tenant'
import deleteTenant from './delete-tenant'
import getTenant from './get-tenant'
import listTenants from './list-tenants'

export default [listTenants, getTenant, createTenant, deleteTenant]
