import deployService from './deploy-service'
import getResourceUsage from './get-resource-usage'
import getServiceConfig from './get-service-config'
import getServiceLogs from './get-service-logs'
import getServiceStatus from './get-service-status'
import listServices from './list-services'
import retireService from './retire-service'
import rollbackService from './rollback-service'
import scaleService from './scale-service'

export default [
  listServices, getServiceStatus, getServiceConfig, getServiceLogs, getResourceUsage,
  deployService, scaleService, rollbackService, retireService,
]
