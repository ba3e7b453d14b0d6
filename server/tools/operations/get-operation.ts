import { z } from 'zod'
import { notFound } from '../../utils/errors'
import { withPlatform } from '../catalog'
import { defineTool, READ } from '../define'
import { Operation } from './schemas'

export default defineTool({
  name: 'mctl_get_operation',
  title: 'Get an operation',
  description: 'One operation by name (e.g. deploy-service): what it does, its risk level, and its parameters with this platform\'s defaults and limits.',
  input: z.object({ name: z.string().min(1).describe('Operation name, e.g. create-tenant') }),
  output: Operation,
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/operations/{name}' },
  async handler({ services: { catalog, engine, index } }, { name }) {
    const entry = catalog.find(o => o.name === name)
    // An operation id or workflow name is a run, not a kind of operation: point to the tool that shows runs.
    const run = /^op_|-[0-9a-f]{8}$/.test(name) ? ` "${name}" looks like one run of an operation: mctl_get_workflow_status shows it.` : ''
    if (!entry) throw notFound(`Operation not found: "${name}".${run} Operations: ${catalog.map(o => o.name).join(', ')}`, { operations: catalog.map(o => o.name) })
    return withPlatform(entry, engine.definition(name), index.platform)
  },
})
