import { z } from 'zod'

export const repoName = z.string().regex(/^[A-Za-z0-9_.-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/, 'must be "owner/name"')

export const Repository = z.object({
  fullName: z.string(),
  private: z.boolean(),
  defaultBranch: z.string(),
  installationId: z.number().int(),
  service: z.string().nullable(),
  registeredBy: z.string(),
  registeredAt: z.string(),
})
