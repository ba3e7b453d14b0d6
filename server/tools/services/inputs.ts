import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'

/** Input fields the service tools share (TOOLS.md "Services": the names are fixed). */

export const teamName = tenantRef('Tenant that owns the service')
export const componentName = serviceName('Service name')
export const team = tenantRef('Tenant')
export const service = serviceName('Service name')

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_VARS = 100
const MAX_VALUE = 32 * 1024

/** `{NAME: value}` with names checked one by one, so the error names the bad variable (never a value). */
export const envMap = (description: string) => z.record(z.string(), z.string().max(MAX_VALUE, `must be at most ${MAX_VALUE} characters`))
  .superRefine((vars, ctx) => {
    const names = Object.keys(vars)
    if (names.length > MAX_VARS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_VARS} variables` })
    for (const name of names.filter(n => !ENV_NAME.test(n) || n.length > 128)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid variable name (letters, digits and "_", not starting with a digit, up to 128 characters)` })
    }
  })
  .describe(description)

/** A full image reference: registry host, path, optionally `:tag` (TOOLS.md: e.g. ghcr.io/org/app). */
export const IMAGE = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+(?::[\w][\w.-]{0,127})?$/
export const imageRef = z.string().max(255).regex(IMAGE, 'must be a full image reference with its registry, e.g. "ghcr.io/org/app" (optionally with ":tag")')
export const imageTag = (description: string) => z.string().regex(/^[\w][\w.-]{0,127}$/, 'must be a tag: letters, digits, "_", "." and "-", up to 128 characters, not starting with "." or "-"').describe(description)

export const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/

const range = (lo: number, hi: number) => `must be a whole number from ${lo} to ${hi}`
export const scalingInput = {
  autoscaling_enabled: z.boolean().optional().describe('true: autoscale on CPU between min_replicas and max_replicas; false: fixed replicas'),
  min_replicas: z.number().int(range(1, 1000)).min(1, range(1, 1000)).max(1000, range(1, 1000)).optional().describe('Default: the current one, or 1'),
  max_replicas: z.number().int(range(1, 1000)).min(1, range(1, 1000)).max(1000, range(1, 1000)).optional().describe('Default: the current one, or 3; at most the tenant pod quota'),
  cpu_threshold: z.number().int(range(1, 100)).min(1, range(1, 100)).max(100, range(1, 100)).optional().describe('Target average CPU % (default 80)'),
}
export const replicasInput = z.number().int(range(0, 1000)).min(0, range(0, 1000)).max(1000, range(0, 1000))
