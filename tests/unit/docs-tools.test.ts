// The docs may only speak of tools this server has: a tool renamed or removed from the
// registry, or a page claiming tools are still to come, fails here.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tools } from '../../server/tools/registry'

const DOCS = join(import.meta.dirname, '../../content/docs')
const pages = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap(e => e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [])

describe('the docs and the registry', () => {
  const texts = pages(DOCS).map(path => ({ path: path.slice(DOCS.length + 1), text: readFileSync(path, 'utf8') }))
  const registered = new Set(tools.map(t => t.name))

  it('name only registered tools', () => {
    const unknown = texts.flatMap(({ path, text }) => [...text.matchAll(/\bmctl_[a-z_]+[a-z]\b/g)]
      .map(m => m[0]).filter(name => !registered.has(name)).map(name => `${path}: ${name}`))
    expect([...new Set(unknown)]).toEqual([])
  })

  it('never say that tools this server has are missing or still to come', () => {
    const stale = texts.filter(({ text }) => /newer (MCTL )?release|does not have it yet|coming soon/i.test(text)).map(p => p.path)
    expect(stale).toEqual([])
  })
})
