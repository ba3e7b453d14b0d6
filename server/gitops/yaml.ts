import { stringify } from 'yaml'

/**
 * Deterministic YAML: keys in the order the renderer built them, no timestamps, no line
 * folding, so re-rendering an unchanged spec is byte-identical and diffs show real changes.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })
}

/** Several manifests in one file, separated by `---`. */
export function toYamlDocuments(objects: unknown[]): string {
  return objects.map(toYaml).join('---\n')
}

/** JSON-clean copy of a kubernetes-models object (drops undefined, applies toJSON). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value))
}
