// The docs answer the questions people bring: every troubleshooting scenario has its own
// heading with the symptom, the cause, what to ask the assistant and the call to make, and the
// guides people asked for exist as pages with a title.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const DOCS = join(import.meta.dirname, '../../content/docs')
const read = (path: string) => readFileSync(join(DOCS, path), 'utf8')

const SCENARIOS = [
  'Unauthorized',
  'Forbidden on tenant operations',
  'Token type confusion',
  'Tools do not appear in the client',
  'Tool calls time out',
  'Connection refused',
  'Deployment stuck in Pending or Progressing',
  'Service is OutOfSync',
  'Service is Degraded',
  'Operation not found',
  'Image pull errors',
  'Database provisioning fails',
  'The app cannot connect to its database',
  'Custom domain stays pending',
  'TLS certificate not issued',
  'Preview not accessible',
  'The agent opens no pull request',
  'The agent\'s pull request was not merged',
  'Getting help',
]

/** The `### ` sections of a page: heading → body up to the next heading. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of text.split(/^(?=#{2,3} )/m)) {
    const m = /^### (.+)\n([\s\S]*)$/.exec(part)
    if (m) out.set(m[1]!.trim(), m[2]!)
  }
  return out
}

describe('the troubleshooting page', () => {
  const page = read('09.troubleshooting.md')
  const found = sections(page)

  it.each(SCENARIOS)('covers "%s" with symptom, cause, what to ask and the call', (heading) => {
    const body = found.get(heading)
    expect(body, `no "### ${heading}" section`).toBeDefined()
    for (const part of ['**Symptom**', '**Cause**', '**Ask**', '**Call**']) expect(body, `${heading}: ${part}`).toContain(part)
    expect(body, `${heading}: the question to ask is written out in quotes`).toMatch(/\*\*Ask\*\* — .*["“]/)
  })

  it('groups the scenarios under ## headings and has no scenario twice', () => {
    const headings = [...page.matchAll(/^### (.+)$/gm)].map(m => m[1]!.trim())
    expect(new Set(headings).size).toBe(headings.length)
    expect(page.indexOf('## Access and tokens')).toBeGreaterThan(0)
    expect(page.indexOf('## Access and tokens')).toBeLessThan(page.indexOf('### Unauthorized'))
  })

  it('keeps the server messages it quoted before', () => {
    for (const message of [
      '`401 Authentication required: send Authorization: Bearer <token>`',
      '`Operation not found: "deploy". Operations: create-tenant, delete-tenant, …`',
      '`Could not publish the commit: the branch kept moving (5 attempts)`',
    ]) expect(page).toContain(message)
  })
})

describe('the guides people asked for', () => {
  it.each([
    ['05.guides/10.self-healing-agent.md', 'Self-healing agent', ['platform/skills/', 'NUXT_AGENT_VERIFY_SECONDS', 'Telegram', 'memory-raise']],
    ['05.guides/11.openclaw.md', 'OpenClaw', ['mctl_deploy_openclaw', 'mctl_resume_openclaw_deploy', 'steady-small']],
    ['08.operations/3.github-app.md', 'GitHub App', ['NUXT_GITHUB_APP_ID', 'NUXT_GITHUB_APP_PRIVATE_KEY', 'NUXT_GITHUB_APP_SLUG', '/api/v1/repos/callback', 'mctl_grant_repo_access', 'mctl_sync_repos']],
  ])('%s exists with its title and covers what it is for', (path, title, mentions) => {
    expect(existsSync(join(DOCS, path)), path).toBe(true)
    const text = read(path)
    expect(text).toMatch(new RegExp(`^---\\ntitle: ${title}\\ndescription: .+\\nnavigation:\\n  icon: i-lucide-[a-z-]+\\n---\\n`))
    for (const m of mentions) expect(text, `${path} mentions ${m}`).toContain(m)
  })

  it('the connect page shows the GitHub token path', () => {
    const text = read('02.connecting-clients.md')
    for (const m of ['gh auth token', 'read:user user:email', 'NUXT_AUTH_ACCEPT_GITHUB_TOKENS=false']) expect(text).toContain(m)
  })
})
