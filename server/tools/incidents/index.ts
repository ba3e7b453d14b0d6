import acknowledgeIncident from './acknowledge-incident'
import getIncident from './get-incident'
import incidentSummary from './incident-summary'
import listIncidents from './list-incidents'
import resolveIncident from './resolve-incident'

export default [listIncidents, getIncident, incidentSummary, acknowledgeIncident, resolveIncident]
