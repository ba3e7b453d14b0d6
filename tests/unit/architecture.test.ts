import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// docs/ARCHITECTURE.md: the floors of server/, from the ground up. A file may import files
// of its own floor or of floors below it, never above; and no files import each other in a
// circle. Type-only imports count too: a type names the module it comes from, so a lower
// floor that borrows a higher floor's type has to change whenever that floor does.
// Nitro's file routes and plugins are the outermost shell: they take the services the
// composition root built (app.ts useServices) and hand each request to them.
const FLOORS: { name: string, paths: string[] }[] = [
  { name: 'ground', paths: ['server/utils/', 'server/settings.ts', 'server/settings-schema.ts', 'server/settings-view.ts', 'server/db/', 'server/metrics.ts', 'server/types/', 'shared/', 'package.json'] },
  { name: 'gitops, adapters, auth', paths: ['server/gitops/', 'server/adapters/', 'server/auth/'] },
  { name: 'operations', paths: ['server/operations/'] },
  { name: 'domain', paths: ['server/domain/'] },
  { name: 'tools', paths: ['server/tools/'] },
  { name: 'mcp, rest, agent', paths: ['server/mcp/', 'server/rest/', 'server/agent/', 'server/docs/', 'server/health.ts'] },
  { name: 'composition root', paths: ['server/services.ts', 'server/app.ts', 'server/core.ts', 'server/runner.ts'] },
  { name: 'routes, api, plugins, middleware', paths: ['server/routes/', 'server/api/', 'server/plugins/', 'server/middleware/', 'server/http/'] },
]

/** Folders that must not import each other although their floors would allow it. */
const NEVER: [from: string, to: string, why: string][] = [
  ['server/agent/', 'server/tools/', 'the agent works on the domain, beside the tools, not through them'],
]

/**
 * The bag: `import type { Services }` of the composition root, still taken by these files.
 * Each entry is debt (issue 19, "no bag"): the list may only shrink, and the test fails when
 * an entry is gone from the code (so the list follows it down) or is more than that one type.
 */
const BAG = 'server/services.ts'
const STILL_TAKE_THE_BAG = [
  'server/agent/evidence.ts', 'server/agent/http.ts', 'server/agent/notify.ts', 'server/agent/propose.ts',
  'server/agent/review.ts', 'server/agent/telegram.ts', 'server/agent/worker.ts',
  'server/auth/oauth/mount.ts', 'server/auth/oauth/well-known.ts', 'server/auth/signin.ts', 'server/auth/web.ts',
  'server/health.ts', 'server/mcp/transport.ts', 'server/rest/events.ts', 'server/rest/handler.ts', 'server/rest/tenant-names.ts',
  'server/tools/define.ts', 'server/tools/invoke.ts',
]

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..')

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return tsFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** The repository-relative file a relative specifier names, or undefined (a package). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  const found = [base, `${base}.ts`, join(base, 'index.ts')].find(p => existsSync(p) && statSync(p).isFile())
  if (!found) throw new Error(`${relative(root, from)}: cannot resolve ${specifier}`)
  return relative(root, found)
}

/** Static `import … from`, `import '…'` and `export … from` of a file, type-only ones included. */
function importsOf(file: string): { target: string, text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  return source.statements.flatMap((s) => {
    const specifier = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)
      ? s.moduleSpecifier.text
      : undefined
    const target = specifier && resolveSpecifier(file, specifier)
    return target ? [{ target, text: s.getText(source) }] : []
  })
}

function floorOf(file: string): number {
  const floor = FLOORS.findIndex(f => f.paths.some(p => p.endsWith('/') ? file.startsWith(p) : file === p))
  if (floor < 0) throw new Error(`${file} stands on no floor: give its folder one in tests/unit/architecture.test.ts and docs/ARCHITECTURE.md`)
  return floor
}

/** Tarjan's strongly connected components: each of more than one file is a circle. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, index.size)
    low.set(v, index.get(v)!)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

/** One loop through a circle, to print: file → file → … → the first again. */
function loopThrough(component: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(component)
  const start = component[0]!
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length) {
    const v = queue.shift()!
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue
      if (w === start) {
        const path = [v]
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!)
        return [...path, start]
      }
      if (!previous.has(w)) {
        previous.set(w, v)
        queue.push(w)
      }
    }
  }
  return component
}

describe('the floors of server/', () => {
  const files = [...tsFiles(join(root, 'server')), ...tsFiles(join(root, 'shared'))]
  const imports = new Map(files.map(f => [relative(root, f), importsOf(f)]))
  const isBag = (file: string, target: string) => target === BAG && STILL_TAKE_THE_BAG.includes(file)
  const graph = new Map([...imports].map(([file, list]) => [file, list.map(i => i.target).filter(t => !isBag(file, t))]))

  it('the bag is only the Services type, and only where it is still listed', () => {
    const takers = [...imports].filter(([file]) => floorOf(file) < floorOf(BAG)).flatMap(([file, list]) => list.filter(i => i.target === BAG).map(i => ({ file, text: i.text })))
    expect(takers.filter(t => !/^import type \{ Services \} from /.test(t.text)).map(t => `${t.file}: ${t.text}`)).toEqual([])
    expect(takers.map(t => t.file).sort()).toEqual([...STILL_TAKE_THE_BAG].sort())
  })

  it('the agent imports no tool', () => {
    const crossings = [...graph].flatMap(([file, targets]) => NEVER.flatMap(([from, to, why]) => file.startsWith(from)
      ? targets.filter(t => t.startsWith(to)).map(t => `${file} → ${t}: ${why}`)
      : []))
    expect(crossings, crossings.join('\n')).toEqual([])
  })

  it('every file stands on a floor', () => {
    for (const file of graph.keys()) expect(() => floorOf(file)).not.toThrow()
  })

  it('no file imports from a floor above its own', () => {
    const upward = [...graph].flatMap(([file, targets]) => targets
      .filter(target => floorOf(target) > floorOf(file))
      .map(target => `${file} (${FLOORS[floorOf(file)]!.name}) → ${target} (${FLOORS[floorOf(target)]!.name})`))
    expect(upward, `imports that run up a floor:\n${upward.join('\n')}`).toEqual([])
  })

  it('no files import each other in a circle', () => {
    const found = circles(graph).map(c => `${c.length} files: ${loopThrough(c, graph).join(' → ')}`)
    expect(found, `circles:\n${found.join('\n')}`).toEqual([])
  })
})
