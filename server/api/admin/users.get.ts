import { defineAdminRoute } from '../../auth/admin'

// Every person MCTL knows, with groups and admin status (no password hashes).
export default defineAdminRoute('the user list', ({ directory }) => ({ items: directory.list() }))
