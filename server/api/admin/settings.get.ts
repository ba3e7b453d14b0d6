import { defineAdminRoute } from '../../http/admin-route'
import { settingsView } from '../../settings-view'

// The platform settings: secrets appear as "set"/"not set" only (server/settings-view.ts).
export default defineAdminRoute('the platform settings', ({ settings }) => ({ sections: settingsView(settings) }))
