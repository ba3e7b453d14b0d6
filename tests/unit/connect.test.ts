import { describe, expect, it } from 'vitest'
import { tools } from '../../server/tools/registry'
import { connectSnippets, TOOLSETS, toolsetsUrl } from '../../utils/connect'

const URL = 'https://mctl.example.com/mcp'
const snippets = connectSnippets(URL)

describe('connect snippets', () => {
  it('cover the clients WEB.md names, each once', () => {
    expect(snippets.map(s => s.id)).toEqual(['claude-code', 'cursor', 'vscode', 'claude-desktop', 'windsurf', 'generic'])
  })

  it.each(snippets)('$label: every block names the server URL', (snippet) => {
    expect(snippet.blocks.length).toBeGreaterThan(0)
    for (const block of snippet.blocks) expect(block.code).toContain(URL)
  })

  it.each(snippets.flatMap(s => s.blocks.filter(b => b.language === 'json').map(b => [s.label, b.code])))('%s: JSON config parses', (_, code) => {
    expect(() => JSON.parse(code)).not.toThrow()
  })

  it('gives Claude Code its one-line command', () => {
    expect(snippets[0]!.blocks[0]!.code).toBe(`claude mcp add --transport http mctl ${URL}`)
  })

  it('points generic OAuth clients at the protected resource metadata', () => {
    expect(snippets.at(-1)!.auth).toContain('https://mctl.example.com/.well-known/oauth-protected-resource/mcp')
  })
})

describe('toolsets on the connect page', () => {
  it('are exactly the registry\'s categories', () => {
    expect(TOOLSETS.map(t => t.name).sort()).toEqual([...new Set(tools.map(t => t.category))].sort())
  })

  it('make a URL the server takes', () => {
    expect(toolsetsUrl(URL, ['services', 'domains'])).toBe('https://mctl.example.com/mcp?toolsets=services,domains')
  })
})
