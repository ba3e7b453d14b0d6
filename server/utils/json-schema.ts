import { z } from 'zod'

type Schema = Record<string, any>

/**
 * JSON Schema (2020-12) of a zod schema as clients see it: no dialect marker, inputs with
 * defaults optional, and only forms every client accepts (see `portable`).
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Schema
  return mapSchema(rest, portable)
}

/**
 * An output schema as tools/list sends it: what a client validates results with, without the
 * prose (field names say what a result holds; the tool's description says what it is for, and
 * the docs keep every field's description) and with each shape that repeats written once, in
 * `$defs`. Input schemas keep their descriptions: models read them to fill arguments in.
 */
export function toCompactOutputSchema(schema: z.ZodType): Schema {
  return shareRepeats(mapSchema(toJsonSchema(schema, 'output'), ({ description: _, ...rest }) => rest))
}

/**
 * An input schema as tools/list sends it: every description (models fill arguments in from
 * them), without what says nothing more to a client: `minLength: 1` beside a pattern that no
 * empty string matches, and the regex zod writes beside a `format` (the format names it). The
 * docs and OpenAPI keep the full form; the server validates with zod either way.
 */
export function toCompactInputSchema(schema: z.ZodType): Schema {
  return mapSchema(toJsonSchema(schema, 'input'), (node) => {
    const out = { ...node }
    if (out.minLength === 1 && typeof out.pattern === 'string' && !new RegExp(out.pattern).test('')) delete out.minLength
    if (out.format !== undefined) delete out.pattern
    return out
  })
}

// Keywords whose value is a schema, an array of schemas, or a map of names to schemas.
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']
const MANY = ['anyOf', 'oneOf', 'allOf', 'prefixItems']
const MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas']

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Rewrites every subschema (children first), then the schema itself. */
function mapSchema(node: Schema, f: (s: Schema) => Schema): Schema {
  const out: Schema = { ...node }
  for (const k of ONE) if (isSchema(out[k])) out[k] = mapSchema(out[k], f)
  for (const k of MANY) if (Array.isArray(out[k])) out[k] = out[k].map((s: Schema) => mapSchema(s, f))
  for (const k of MAP) if (isSchema(out[k])) out[k] = Object.fromEntries(Object.entries<Schema>(out[k]).map(([n, s]) => [n, mapSchema(s, f)]))
  return f(out)
}

const BOOKKEEPING = ['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'secret']

/**
 * The forms MCP Inspector and strict clients warn about, rewritten: a type array becomes
 * `anyOf` of single types; `additionalProperties: {}` (any value) and `propertyNames` of
 * strings (every JSON key is one) go, as do zod's ±2^53 bounds on every integer.
 */
function portable(node: Schema): Schema {
  const out = { ...node }
  if (isSchema(out.additionalProperties) && Object.keys(out.additionalProperties).length === 0) delete out.additionalProperties
  if (isSchema(out.propertyNames) && Object.keys(out.propertyNames).length === 1 && out.propertyNames.type === 'string') delete out.propertyNames
  if (out.type === 'integer') {
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum
  }
  if (!Array.isArray(out.type)) return out
  if (out.type.length === 1) return { ...out, type: out.type[0] }
  // The annotations stay on the union; the constraints go with each type (a keyword only
  // applies to values of its own type, so repeating them changes nothing).
  const outer = Object.fromEntries(Object.entries(out).filter(([k]) => BOOKKEEPING.includes(k)))
  const { type, ...constraints } = Object.fromEntries(Object.entries(out).filter(([k]) => !BOOKKEEPING.includes(k)))
  return { anyOf: (type as string[]).map(t => t === 'null' ? { type: 'null' } : { type: t, ...constraints }), ...outer }
}

/** An object or enum is named after its property; a union of types after them ("stringOrNull"). */
function defName(node: Schema, property: string): string {
  if (node.anyOf?.every((s: Schema) => Object.keys(s).length === 1 && typeof s.type === 'string'))
    return node.anyOf.map((s: Schema, i: number) => i ? s.type[0].toUpperCase() + s.type.slice(1) : s.type).join('Or')
  return property
}

/**
 * Each shape (an object, a union, an enum) that occurs more than once, moved to `$defs` and referred to by `$ref`,
 * largest first, while that makes the schema shorter.
 */
function shareRepeats(root: Schema): Schema {
  const defs: Record<string, Schema> = {}
  let schema = root
  for (;;) {
    const seen = new Map<string, { node: Schema, count: number, name: string }>()
    const visit = (node: Schema, name: string, isRoot: boolean) => {
      if (!isRoot && (node.properties || node.anyOf || node.enum)) {
        const key = JSON.stringify(node)
        const entry = seen.get(key)
        if (entry) entry.count++
        else seen.set(key, { node, count: 1, name: defName(node, name) })
      }
      for (const k of ONE) if (isSchema(node[k])) visit(node[k], name, false)
      for (const k of MANY) if (Array.isArray(node[k])) for (const s of node[k]) visit(s, name, false)
      for (const k of MAP) if (isSchema(node[k])) for (const [n, s] of Object.entries<Schema>(node[k])) visit(s, n, false)
    }
    visit(schema, 'shape', true)
    for (const d of Object.values(defs)) visit(d, 'shape', true)
    const saving = ([key, e]: [string, { count: number, name: string }]) => (e.count - 1) * key.length - e.count * (`{"$ref":"#/$defs/${e.name}"}`.length) - e.name.length - 3
    const best = [...seen].filter(([, e]) => e.count > 1).sort((a, b) => saving(b) - saving(a))[0]
    if (!best || saving(best) <= 0) break
    const [key, entry] = best
    let name = entry.name
    for (let i = 2; defs[name]; i++) name = `${entry.name}${i}`
    const ref = { $ref: `#/$defs/${name}` }
    const replace = (s: Schema) => JSON.stringify(s) === key ? ref : s
    schema = mapSchema(schema, replace)
    for (const [n, d] of Object.entries(defs)) defs[n] = mapSchema(d, replace)
    defs[name] = entry.node
  }
  return Object.keys(defs).length ? { ...schema, $defs: defs } : schema
}
