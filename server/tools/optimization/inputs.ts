import { serviceName } from '../../gitops/names'
import { teamName } from '../services/inputs'

export { teamName }
/** TOOLS.md: component_name defaults to "openclaw" (the tools also size any other service). */
export const componentName = serviceName('Service name').default('openclaw')
