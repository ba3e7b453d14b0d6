import type { SchemaField, ToolReference } from './reference'

/** A docs page as llms.txt needs it (from the content collection, in navigation order). */
export interface DocPage {
  path: string
  title: string
  description?: string
  rawbody?: string
}

/** The generated tools reference is a Vue page: its Markdown is written here from the registry. */
export const TOOLS_PAGE = '/docs/tools'

const SUMMARY = 'MCTL is an AI-native control plane for Kubernetes platforms. People and AI assistants manage tenants, services, domains, databases, preview environments and incidents over MCP (`/mcp`), a REST API (`/api/v1`) or the web app; every change lands as an attributed commit in a GitOps repository that Argo CD syncs.'

/** llms.txt (llmstxt.org): a title, a summary and a link per docs page. Links are root-relative: the file is built before the server knows its public URL. */
export function llmsIndex(pages: DocPage[]): string {
  const links = pages.map(p => `- [${p.title}](${p.path})${p.description ? `: ${p.description}` : ''}`)
  return [
    '# MCTL', '', `> ${SUMMARY}`, '',
    '## Docs', '', ...links, '',
    '## Optional', '',
    '- [Full documentation](/llms-full.txt): every page above in one file, with the complete tools reference',
    '- [OpenAPI document](/api/v1/openapi.json): the REST API, generated from the tool registry',
    '',
  ].join('\n')
}

const stripFrontMatter = (markdown: string) => markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '').trim()
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function fieldTable(fields: SchemaField[]): string {
  if (!fields.length) return 'None.'
  const rows = fields.map(f => `| \`${f.name}\` | \`${cell(f.type)}\` | ${f.required ? 'yes' : 'no'} | ${f.default === undefined ? '' : `\`${cell(JSON.stringify(f.default))}\``} | ${cell([f.description, ...f.rules].filter(Boolean).join('; '))} |`)
  return ['| name | type | required | default | description |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** The tools reference as Markdown, grouped by category in registry order. */
export function toolsMarkdown(tools: ToolReference[]): string {
  const categories = [...new Set(tools.map(t => t.category))]
  return categories.map(category => [
    `## ${category}`,
    ...tools.filter(t => t.category === category).map(t => [
      `### ${t.name}`, '', `**${t.title}** — ${t.description}`, '',
      `Kind: ${t.kind}. Access: ${t.access}. REST: \`${t.rest.method} ${t.rest.path}\`.${t.operation ? ` Operation: \`${t.operation.name}\` (risk ${t.operation.riskLevel}).` : ''}`, '',
      `Annotations: ${Object.entries(t.annotations).map(([k, v]) => `${k}=${v}`).join(', ')}.`, '',
      '#### Input', '', fieldTable(t.inputs), '',
      '#### Output', '', fieldTable(t.outputs), '',
    ].join('\n')),
  ].join('\n\n')).join('\n\n')
}

/** llms-full.txt: every page's Markdown in navigation order, the tools page completed from the registry. */
export function llmsFull(pages: DocPage[], tools: ToolReference[]): string {
  return pages.map((p) => {
    const body = stripFrontMatter(p.rawbody ?? '')
    const extra = p.path === TOOLS_PAGE ? `\n\n${toolsMarkdown(tools)}` : ''
    return `# ${p.title}\n\nSource: ${p.path}\n\n${body}${extra}\n`
  }).join('\n---\n\n')
}
