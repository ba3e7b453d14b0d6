import { plain } from '../yaml'

/** A kubernetes-models object checked against its schema, as plain JSON for the YAML writer. */
export function validated<T extends { validate(): void }>(obj: T): T {
  obj.validate()
  return plain(obj)
}
