import { defineAdminRoute } from '../../http/admin-route'

// Every person MCTL knows, with groups and admin status (no password hashes).
export default defineAdminRoute('the user list', ({ directory }) => ({ items: directory.list() }))
