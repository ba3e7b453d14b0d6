import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface FileRoute { method: string, pattern: string }

/** Nitro's file routes: `incidents/[id]/approve.post.ts` → POST /api/v1/incidents/[id]/approve; no method suffix: any method. */
export function fileRoutes(): FileRoute[] {
  const found: FileRoute[] = []
  for (const [dir, prefix] of [['server/api', '/api'], ['server/routes', '']] as const) {
    const walk = (path: string) => {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        const full = join(path, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.ts')) {
          const [, name, method] = /^(.*?)(?:\.(get|head|post|put|patch|delete|options))?\.ts$/.exec(relative(join(ROOT, dir), full))!
          const pattern = `${prefix}/${name!.replace(/(^|\/)index$/, '')}`.replace(/\/$/, '') || '/'
          found.push({ method: method?.toUpperCase() ?? 'ANY', pattern })
        }
      }
    }
    walk(join(ROOT, dir))
  }
  return found
}

export const key = (r: FileRoute) => `${r.method} ${r.pattern}`
export const unsafe = (r: FileRoute) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)
