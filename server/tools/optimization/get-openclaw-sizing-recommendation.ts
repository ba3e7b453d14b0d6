import { z } from 'zod'
import { notFound } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { PROFILE_NAMES } from '../../domain/optimization/profiles'
import { componentName, teamName } from './inputs'
import { sizingRecommendation } from '../../domain/optimization/sizing'

const Profile = z.object({
  name: z.enum(PROFILE_NAMES),
  requests: z.object({ cpu: z.string(), memory: z.string() }),
  limits: z.object({ cpu: z.string(), memory: z.string() }),
  nodeHeapMiB: z.number().int(),
  nodeOptions: z.string(),
})

export default defineTool({
  name: 'mctl_get_openclaw_sizing_recommendation',
  title: 'Recommend a resource profile',
  description: 'Measure a service\'s memory and CPU (max, p95) over lookback_hours and recommend a resource profile with the reason (startup without metrics). For OpenClaw or any service.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    lookback_hours: z.number().int('must be a whole number of hours from 1 to 720').min(1, 'must be from 1 to 720 hours').max(720, 'must be from 1 to 720 hours').default(24)
      .describe('Hours of history to measure'),
  }),
  output: z.object({
    team: z.string(),
    service: z.string(),
    lookback_hours: z.number().int(),
    source: z.enum(['prometheus', 'none']),
    memory: z.object({ maxBytes: z.number().nullable(), p95Bytes: z.number().nullable() }),
    cpu: z.object({ maxCores: z.number().nullable(), p95Cores: z.number().nullable() }),
    samples: z.object({ memory: z.number().int(), cpu: z.number().int() }).describe('Samples measured (over all pods)'),
    recommended: z.enum(PROFILE_NAMES),
    profile: Profile.describe('The recommended profile\'s spec (mctl_apply_openclaw_resource_profile applies it)'),
    reason: z.string(),
    note: z.string().optional(),
  }),
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'GET', path: '/api/v1/services/{team_name}/{component_name}/sizing' },
  async handler({ services }, { team_name, component_name, lookback_hours }) {
    if (!services.index.tenant(team_name)) throw notFound(`Tenant "${team_name}" not found`)
    return sizingRecommendation(services, team_name, component_name, lookback_hours)
  },
})
