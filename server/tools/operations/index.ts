import getOperation from './get-operation'
import getWorkflowStatus from './get-workflow-status'
import listOperations from './list-operations'
import listRecentOperations from './list-recent-operations'
import listWorkflows from './list-workflows'

export default [listOperations, getOperation, listRecentOperations, listWorkflows, getWorkflowStatus]
