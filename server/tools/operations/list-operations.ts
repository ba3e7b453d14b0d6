import { z } from 'zod'
import { withPlatform } from '../catalog'
import { defineTool, READ } from '../define'
import { detailFlag, wantsDetail } from '../schemas'
import { OperationListed } from './schemas'

export default defineTool({
  name: 'mctl_list_operations',
  title: 'List operations',
  description: 'The operations MCTL can run (create-tenant, deploy-service, …): risk level, whether it needs confirmation, its tool. detail: true adds parameters and engine.',
  input: z.object({ detail: detailFlag('parameters, engine') }),
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
