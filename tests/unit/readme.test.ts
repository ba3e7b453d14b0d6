import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'

const README = new URL('../../README.md', import.meta.url)
const START = /<!-- tools:start[^>]*-->\n/
const END = '<!-- tools:end -->'
const KIND = { read: 'R', write: 'W', destructive: 'D' }

function toolTable() {
  const rows = tools.map(t => `| \`${t.name}\` | ${t.title} | ${KIND[kindOf(t)]} | ${t.access} | \`${t.rest.method} ${t.rest.path}\` |`)
  return ['| tool | what it does | kind | access | REST |', '|---|---|---|---|---|', ...rows, ''].join('\n')
}

/** Runtime config keys as NUXT_* variable names (nuxt.config.ts is the list of settings). */
async function settingNames(): Promise<string[]> {
  (globalThis as any).defineNuxtConfig = (c: unknown) => c
  const config = (await import('../../nuxt.config')).default as { runtimeConfig: Record<string, any> }
  const snake = (k: string) => k.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()
  const walk = (obj: Record<string, any>, prefix: string): string[] => Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? walk(v, `${prefix}${snake(k)}_`) : [`${prefix}${snake(k)}`])
  return walk(config.runtimeConfig, 'NUXT_')
}

describe('the README', () => {
  it('lists every tool of the registry', () => {
    const text = readFileSync(README, 'utf8')
    const [head, rest] = text.split(START) as [string, string]
    const start = START.exec(text)![0]
    const current = rest.slice(0, rest.indexOf(END))
    if (process.env.MCTL_UPDATE_DOCS) writeFileSync(README, `${head}${start}${toolTable()}${rest.slice(rest.indexOf(END))}`)
    else expect(current, 'run `npm run docs:generate`').toBe(toolTable())
  })

  it('lists every setting', async () => {
    const text = readFileSync(README, 'utf8')
    for (const name of await settingNames()) expect(text, `${name} is documented`).toContain(name)
  })
})
