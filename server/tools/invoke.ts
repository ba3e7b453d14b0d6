import type { z } from 'zod'
import { authorize, requireWrite } from '../auth/access'
import type { Services } from '../services'
import { AppError, errorMessage, forbidden, validationError } from '../utils/errors'
import type { Caller } from '../auth/identity'
import { type AnyTool, type ToolContext, kindOf } from './define'

const REDACTED = '[redacted]'

/** Field names marked `.meta({ secret: true })` in a tool's input, plus the confirm token. */
export function secretFields(tool: AnyTool): string[] {
  return [...Object.entries(tool.input.shape)
    .filter(([, field]) => (field as z.ZodType).meta()?.secret === true)
    .map(([name]) => name), 'confirm']
}

/** Arguments as they may be stored and shown: secret values replaced, names kept. */
export function redact(tool: AnyTool, args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args }
  for (const field of secretFields(tool)) {
    const value = out[field]
    if (value === undefined) continue
    out[field] = value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).map(k => [k, REDACTED]))
      : REDACTED
  }
  return out
}

export function riskOf(tool: AnyTool) {
  return tool.operation?.riskLevel ?? (kindOf(tool) === 'destructive' ? 'high' : kindOf(tool) === 'write' ? 'medium' : 'low')
}

/**
 * The single dispatch of every tool call, whatever it came through (MCP, REST, the web):
 * validate, then through the gate (operations/gate.ts): rate limit, scope and access, run,
 * and audit every write decision.
 */
export async function invokeTool(tool: AnyTool, args: unknown, caller: Caller, services: Services): Promise<Record<string, unknown>> {
  const started = performance.now()
  const outcome = (name: string) => {
    services.metrics.toolCalls.inc({ tool: tool.name, outcome: name })
    services.metrics.toolDuration.observe({ tool: tool.name }, (performance.now() - started) / 1000)
  }
  try {
    const output = await dispatch(tool, args, caller, services)
    outcome('ok')
    return output
  }
  catch (err) {
    const status = err instanceof AppError ? err.status : 500
    outcome(status === 400 ? 'invalid' : status === 401 || status === 403 ? 'denied' : status === 429 ? 'limited' : 'error')
    throw err
  }
}

async function dispatch(tool: AnyTool, args: unknown, caller: Caller, services: Services): Promise<Record<string, unknown>> {
  const write = kindOf(tool) !== 'read'
  const parsed = tool.input.safeParse(args ?? {})
  if (!parsed.success) throw validationError(parsed.error)
  const input = parsed.data as Record<string, unknown>
  const ctx: ToolContext = { ...caller, services, tool }
  let ran = false
  try {
    return await services.gate.pass({
      action: tool.name,
      caller,
      // Per identity, by tool kind (AUTH.md): 429 with Retry-After past the limit. A call refused
      // by validation changed nothing, and a destructive tool's plan (the call without its
      // confirm token) only reads: neither counts as a write.
      limit: write && !(kindOf(tool) === 'destructive' && !input.confirm) ? 'write' : 'read',
      audited: write,
      operation: tool.operation?.name,
      risk: riskOf(tool),
      params: redact(tool, input),
      async authorize(subject) {
        if (write) requireWrite(caller.identity, tool.name)
        if (!write && !caller.identity.scopes.some(s => s === 'read' || s === 'write'))
          throw forbidden('This token has neither the read nor the write scope')
        Object.assign(subject, tool.subject ? await tool.subject(input as never, ctx) : {})
        if (subject.tenant && !subject.spec) subject.spec = services.index.tenant(subject.tenant)
        authorize(caller.identity, tool.access, subject)
      },
      run() {
        ran = true
        return tool.handler(ctx, input as never) as Promise<Record<string, unknown>>
      },
      outcomes(output) {
        // A tool that starts several operations (e.g. database, then onboarding) audits each.
        const several = output.operations as { operation: string, operation_id: string }[] | undefined
        if (Array.isArray(several)) return several.map(op => ({ operationId: op.operation_id, operation: op.operation }))
        return [{ reason: output.status === 'confirmation_required' ? 'plan requested' : undefined, operationId: output.operation_id as string | undefined }]
      },
    })
  }
  catch (err) {
    if (!ran || err instanceof AppError) throw err
    services.logger.error('tool.failed', { tool: tool.name, error: errorMessage(err) })
    throw new AppError(500, `${tool.name} failed: ${errorMessage(err)}`)
  }
}
