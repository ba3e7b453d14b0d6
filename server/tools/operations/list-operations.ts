import { z } from 'zod'
import { withPlatform } from '../catalog'
import { defineTool, READ } from '../define'
import { Operation } from './schemas'

export default defineTool({
  name: 'mctl_list_operations',
  title: 'List operations',
  description: 'List every operation MCTL can run (create-tenant, deploy-service, …) with its parameters, risk level and whether it needs confirmation.',
  input: z.object({}),
  output: z.object({ items: z.array(Operation), count: z.number().int() }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/operations' },
  async handler({ services: { catalog, engine, index } }) {
    return { items: catalog.map(e => withPlatform(e, engine.definition(e.name), index.platform)), count: catalog.length }
  },
})
