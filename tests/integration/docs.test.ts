// The docs against the built server: the generated tools reference must list every tool of the
// registry, and every /docs link written in content/ or in the Vue pages must lead somewhere.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../../scripts/build.mjs'
import { tools } from '../../server/tools/registry'
import { startServer, type TestServer } from '../helpers/server'

let server: TestServer
beforeAll(async () => { server = await startServer() })
afterAll(() => server?.stop())

const get = (path: string) => fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } })

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && pattern.test(e.name))
    .map(e => join(e.parentPath, e.name))
}

/** Every internal docs link: Markdown links in content/, and string literals in the Vue side. */
function docsLinks(): string[] {
  const links = new Set<string>()
  for (const file of filesUnder(join(root, 'content'), /\.md$/)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\]\((\/docs[^)\s]*)\)/g)) links.add(m[1]!)
  }
  for (const dir of ['pages', 'components', 'composables', 'layouts']) {
    for (const file of filesUnder(join(root, dir), /\.(vue|ts)$/)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['"](\/docs(?:\/[a-z0-9-]+)*(?:#[a-z0-9-]+)?)['"]/g)) links.add(m[1]!)
    }
  }
  return [...links].sort()
}

describe('the tools reference', () => {
  it('shows every registered tool with its title, access and REST route', async () => {
    const res = await get('/docs/tools')
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const tool of tools) {
      expect(html, `${tool.name} has a heading`).toContain(`id="${tool.name}"`)
      expect(html, `${tool.name} shows its route`).toContain(`${tool.rest.method} ${tool.rest.path}`)
      expect(html, `${tool.name} shows its title`).toContain(tool.title)
    }
  })

  it('GET /api/v1/tools is the registry, with each tool\'s inputs and outputs', async () => {
    const res = await fetch(`${server.url}/api/v1/tools`)
    expect(res.status).toBe(200)
    const listed = await res.json() as { name: string, category: string, inputs: { name: string }[], inputSchema: { properties?: object } }[]
    expect(listed.map(t => t.name)).toEqual(tools.map(t => t.name))
    expect(listed.map(t => t.category)).toEqual(tools.map(t => t.category))
    for (const tool of listed) expect(tool.inputs.map(f => f.name)).toEqual(Object.keys(tool.inputSchema.properties ?? {}))
  })

  it('llms.txt lists the docs and llms-full.txt carries every tool', async () => {
    const index = await (await fetch(`${server.url}/llms.txt`)).text()
    expect(index).toMatch(/^# MCTL/)
    expect(index).toContain('- [Tools reference](/docs/tools)')
    const full = await (await fetch(`${server.url}/llms-full.txt`)).text()
    expect(full).toContain('# Getting started')
    for (const tool of tools) expect(full, tool.name).toContain(`### ${tool.name}`)
  })
})

describe('docs links', () => {
  const links = docsLinks()

  it('finds the links to check', () => {
    expect(links.length).toBeGreaterThan(20)
  })

  it.each(links)('%s leads to a page (and its anchor exists)', async (link) => {
    const [path, anchor] = link.split('#') as [string, string | undefined]
    const res = await get(path)
    expect(res.status, `${link} answers 200`).toBe(200)
    if (anchor) expect(await res.text(), `${link}: no element with id "${anchor}"`).toContain(`id="${anchor}"`)
  })
})
