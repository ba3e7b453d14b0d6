import { z } from 'zod'
import { withPlatform } from '../catalog'
import { defineTool, READ } from '../define'
import { detailFlag, wantsDetail } from '../schemas'
import { OperationListed } from './schemas'

export default defineTool({
  name: 'mctl_list_operations',
  title: 'List operations',
  description: 'List the operations MCTL can run (create-tenant, deploy-service, …): risk level, whether it needs confirmation, and the tool that runs it. detail: true adds each one\'s parameters and engine.',
  input: z.object({ detail: detailFlag('each operation\'s parameters with their rules, and its engine') }),
  output: z.object({ items: z.array(OperationListed), count: z.number().int() }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/operations' },
  async handler({ services: { catalog, engine, index }, via }, { detail }) {
    const items = wantsDetail(detail, via)
      ? catalog.map(e => withPlatform(e, engine.definition(e.name), index.platform))
      : catalog.map(({ name, description, riskLevel, requiresConfirm, tool }) => ({ name, description, riskLevel, requiresConfirm, tool }))
    return { items, count: catalog.length }
  },
})
