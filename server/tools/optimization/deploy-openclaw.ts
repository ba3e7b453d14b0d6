import { z } from 'zod'
import { defineTool, WRITE } from '../define'
import { HOST } from '../services/inputs'
import { openIntake } from '../../domain/optimization/intake'
import { componentName, teamName } from './inputs'
import { checkRoomFor, openclawDeploy } from '../../domain/optimization/openclaw'
import { profileView } from '../../domain/optimization/profiles'

export default defineTool({
  name: 'mctl_deploy_openclaw',
  title: 'Deploy OpenClaw (start)',
  description: 'Start deploying OpenClaw (an AI-agent Telegram bot with a web dashboard) into a tenant: checks room, returns a one-time link where the owner enters the bot token (never through the chat). Then call mctl_resume_openclaw_deploy.',
  input: z.object({
    team_name: teamName,
    component_name: componentName,
    telegram_owner_ids: z.array(z.number().int('must be whole numbers (Telegram user ids)').positive('must be positive Telegram user ids')).min(1, 'give at least one Telegram user id').max(20, 'at most 20 owners')
      .describe('Telegram user ids allowed to command the bot'),
    default_model: z.string().min(1).max(100).regex(/^[\w.:/-]+$/, 'must be a model name such as "anthropic/claude-sonnet-4-5"').default('anthropic/claude-sonnet-4-5')
      .describe('Model the agent uses by default'),
    host: z.string().max(253).regex(HOST, 'must be a lowercase DNS name such as "bot.example.com"').optional()
      .describe('Dashboard host: default "<team>-<component>.<baseDomain>", or a custom domain the tenant verified'),
  }),
  output: z.object({
    team: z.string(),
    service: z.string(),
    intake_url: z.string().describe('One-time link (this app\'s /intake page) where the owner pastes the bot token'),
    expires_at: z.string(),
    profile: z.object({ name: z.string(), requests: z.object({ cpu: z.string(), memory: z.string() }), limits: z.object({ cpu: z.string(), memory: z.string() }), nodeHeapMiB: z.number().int(), nodeOptions: z.string() }),
    next_step: z.string(),
    message: z.string(),
  }),
  annotations: WRITE,
  access: 'owner',
  subject: input => ({ tenant: input.team_name }),
  rest: { method: 'POST', path: '/api/v1/openclaw' },
  async handler(ctx, { team_name, component_name, telegram_owner_ids, default_model, host }) {
    const { index, settings } = ctx.services
    const intakeSettings = { telegramOwnerIds: telegram_owner_ids, defaultModel: default_model, ...(host ? { host } : {}) }
    // Refused now, as the onboarding would be: an existing service, a taken host, no room.
    checkRoomFor(index, openclawDeploy(index, settings.openclaw.image, team_name, component_name, intakeSettings))
    const link = openIntake(ctx.services, team_name, component_name, intakeSettings, ctx.identity.userId)
    return {
      team: team_name,
      service: component_name,
      ...link,
      profile: profileView('startup'),
      next_step: `Open ${link.intake_url} and paste the bot token from BotFather; then call mctl_resume_openclaw_deploy with team_name "${team_name}"${component_name === 'openclaw' ? '' : ` and component_name "${component_name}"`}.`,
      message: `"${team_name}" has room for OpenClaw's startup profile. The link works once, until ${link.expires_at}.`,
    }
  },
})
