import type { z } from 'zod'

/**
 * The one error type of the domain: an HTTP status and a message a person can act on.
 * REST turns it into `{ error, details? }`, MCP into an `isError` tool result.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

export const invalid = (message: string, details?: unknown) => new AppError(400, message, details)
export const unauthorized = (message: string, headers?: Record<string, string>) => new AppError(401, message, undefined, headers)
export const forbidden = (message: string) => new AppError(403, message)
export const notFound = (message: string, details?: unknown) => new AppError(404, message, details)
export const conflict = (message: string, details?: unknown) => new AppError(409, message, details)
export const tooLarge = (message: string) => new AppError(413, message)

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** An outside system (Vault, Loki, the Kubernetes API) failed or did not answer in time. */
export const upstream = (message: string) => new AppError(502, message)

/** A rule on one input field that a schema cannot express (cross-field, state-dependent). */
export const invalidField = (field: string, rule: string) => invalid(`Invalid input: ${field}: ${rule}`, [{ field, rule }])

/** A zod refusal as a 400 naming each field and the rule it broke. */
export function validationError(error: z.ZodError) {
  const details = error.issues.map(i => ({ field: i.path.join('.') || '(input)', rule: i.message }))
  return invalid(`Invalid input: ${details.map(d => `${d.field}: ${d.rule}`).join('; ')}`, details)
}
