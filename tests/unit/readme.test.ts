import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'
import { settingsTable } from '../../server/settings-schema'

const README = new URL('../../README.md', import.meta.url)
const KIND = { read: 'R', write: 'W', destructive: 'D' }

/** README's text between `<!-- <name>:start … -->` and `<!-- <name>:end -->`: checked, or rewritten by `npm run docs:generate`. */
function generated(name: string, expected: string) {
  const text = readFileSync(README, 'utf8')
  const start = new RegExp(`<!-- ${name}:start[^>]*-->\\n`).exec(text)
  const end = text.indexOf(`<!-- ${name}:end -->`)
  expect(start && end > start.index, `README has the ${name} markers`).toBeTruthy()
  const from = start!.index + start![0].length
  if (process.env.MCTL_UPDATE_DOCS) writeFileSync(README, `${text.slice(0, from)}${expected}${text.slice(end)}`)
  else expect(text.slice(from, end), 'run `npm run docs:generate`').toBe(expected)
}

function toolTable() {
  const rows = tools.map(t => `| \`${t.name}\` | ${t.title} | ${KIND[kindOf(t)]} | ${t.access} | \`${t.rest.method} ${t.rest.path}\` |`)
  return ['| tool | what it does | kind | access | REST |', '|---|---|---|---|---|', ...rows, ''].join('\n')
}

describe('the README', () => {
  it('lists every tool of the registry', () => generated('tools', toolTable()))

  it('lists every setting, as server/settings-schema.ts declares it', () => generated('settings', settingsTable()))
})
