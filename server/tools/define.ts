import type { z } from 'zod'
import type { Access, Subject } from '../auth/access'
import type { Caller } from '../auth/identity'
import type { OperationDef } from '../operations/types'
import type { Services } from '../services'

export interface Annotations {
  readOnlyHint: boolean
  destructiveHint: boolean
  idempotentHint: boolean
  openWorldHint: boolean
}

export interface ToolContext extends Caller {
  services: Services
  tool: AnyTool
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ToolDef<I extends z.ZodObject, O extends z.ZodObject> {
  name: string
  title: string
  description: string
  input: I
  output: O
  annotations: Annotations
  access: Access
  /** The tenant (and requester) the access rule is checked against, from the input. */
  subject?: (input: z.infer<I>, ctx: ToolContext) => Subject | Promise<Subject>
  rest: { method: HttpMethod, path: string }
  /** Set by the registry from the domain folder (tenants, services, …). */
  category?: string
  /** The durable operation this tool enqueues (listed by mctl_list_operations). */
  operation?: OperationDef
  handler: (ctx: ToolContext, input: z.infer<I>) => Promise<z.input<O>>
}

export type AnyTool = ToolDef<z.ZodObject, z.ZodObject>

/** Each tool is defined exactly once; MCP, REST, OpenAPI and the docs derive from it. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): AnyTool {
  return def as unknown as AnyTool
}

export type ToolKind = 'read' | 'write' | 'destructive'

export function kindOf(tool: AnyTool): ToolKind {
  if (tool.annotations.readOnlyHint) return 'read'
  return tool.annotations.destructiveHint ? 'destructive' : 'write'
}

/** Annotation sets of TOOLS.md: R, W (idempotent or not) and D. */
export const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
export const WRITE: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false }
export const WRITE_IDEMPOTENT: Annotations = { ...WRITE, idempotentHint: true }
export const DESTRUCTIVE: Annotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false }
