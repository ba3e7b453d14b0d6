import { z } from 'zod'

export const previewId = z.string().regex(/^[a-z0-9]{1,16}$/, 'must be a preview id: lowercase letters and digits, as mctl_list_previews shows it')
  .describe('The part after "<service>-" in the preview name')

export const Preview = z.object({
  id: z.string(),
  name: z.string().describe('<service>-<id>: its folder, its objects and its Argo CD Application suffix'),
  service: z.string(),
  imageTag: z.string(),
  host: z.string().nullable().describe('<service>-<id>.<team>.preview.<baseDomain> (null for a worker)'),
  createdBy: z.string(),
  expiresAt: z.string(),
  expired: z.boolean().describe('Past expiresAt: the reaper deletes it on its next pass'),
  application: z.string().describe('Argo CD Application <team>-preview-<service>-<id>'),
  sync: z.string().describe('Argo CD sync status (Unknown without a cluster)'),
  health: z.string().describe('Argo CD health status (Unknown without a cluster)'),
})
