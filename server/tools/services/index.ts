import deployService from './deploy-service'
import listServices from './list-services'
import retireService from './retire-service'
import rollbackService from './rollback-service'
import scaleService from './scale-service'

export default [
  listServices,
  deployService, scaleService, rollbackService, retireService,
]
