import * as jsyaml from 'js-yaml'
import { LRUCache } from 'lru-cache'
import { stringify } from 'yaml'
import type { z } from 'zod'

// Reading is js-yaml's, a dozen times faster than `yaml` at it (the first start on a repository
// of 20,000 services parses every spec). Its core schema is YAML 1.2's, as `yaml` writes it,
// but for one extra, left out here: "0b101" is a number to it and a string in YAML 1.2.
// (js-yaml exports its built-in types; @types/js-yaml does not declare them.)
const { types } = jsyaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', jsyaml.Type> }
const int = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => !/^[-+]?0b/.test(s ?? '') && types.int.resolve(s),
  construct: types.int.construct, // read only: js-yaml never writes here
})
const READ = { schema: jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool, int, types.float] }) }

/** YAML text by the JSON of the value written; and the other way round, for reading it back. */
const textOf = new LRUCache<string, string>({ max: 2000 })
const writtenFrom = new LRUCache<string, { json: string, documents: boolean }>({ max: 2000 })

/**
 * Deterministic YAML: keys in the order the renderer built them, no timestamps, no line
 * folding, so re-rendering an unchanged spec is byte-identical and diffs show real changes.
 *
 * Most renders repeat — a write is rendered when accepted and again when committed, and a
 * deploy changes one file of a service — so the text is kept by the value's JSON (the most
 * recent ones): for the plain, finite values rendered here, same JSON means same YAML (both
 * drop undefined and apply toJSON), and JSON is far cheaper to make.
 */
export function toYaml(value: unknown): string {
  const json = JSON.stringify(value) ?? ''
  let text = textOf.get(json)
  if (text === undefined) textOf.set(json, text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }))
  writtenFrom.set(text, { json, documents: false })
  return text
}

/** Several manifests in one file, separated by `---`. */
export function toYamlDocuments(objects: unknown[]): string {
  const text = objects.map(toYaml).join('---\n')
  writtenFrom.set(text, { json: JSON.stringify(objects), documents: true })
  return text
}

/**
 * The value of a YAML text. A text just written here (the policy check and the index read
 * back what was rendered a moment ago) is not parsed again: it is a fresh copy of the value
 * it was written from, which is what parsing it gives.
 */
export function fromYaml(text: string): unknown {
  const written = writtenFrom.get(text)
  return written && !written.documents ? JSON.parse(written.json) : jsyaml.load(text, READ)
}

/** The values of a file of documents separated by `---` (empty documents left out). */
export function fromYamlDocuments(text: string): unknown[] {
  const written = writtenFrom.get(text)
  if (!written) return jsyaml.loadAll(text, undefined, READ).filter(value => value !== null && value !== undefined)
  const value = JSON.parse(written.json)
  return written.documents ? value : [value]
}

/** A spec file's text checked against its schema: the spec, or what is wrong with it. */
export function readSpec<T extends z.ZodType>(schema: T, text: string): { spec: z.infer<T> } | { problem: string } {
  let raw: unknown
  try { raw = fromYaml(text) ?? {} }
  catch (err) { return { problem: `not valid YAML: ${(err as Error).message.split('\n')[0]}` } }
  const result = schema.safeParse(raw)
  return result.success
    ? { spec: result.data }
    : { problem: result.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') }
}

/** JSON-clean copy of a kubernetes-models object (drops undefined, applies toJSON). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value))
}
