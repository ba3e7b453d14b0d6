import { z } from 'zod'

/** JSON Schema (2020-12) of a zod schema as clients see it: no dialect marker, inputs with defaults optional. */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, any> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, any>
  return rest
}
