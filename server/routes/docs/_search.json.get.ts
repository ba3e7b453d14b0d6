import { queryCollectionSearchSections } from '@nuxt/content/server'
import { TOOLS_PAGE } from '../../docs/llms'
import { toolReference } from '../../docs/reference'
import { tools } from '../../tools/registry'

/**
 * What the docs search looks through: the content's sections plus one per registered tool,
 * whose reference is rendered from the registry rather than written in Markdown.
 * Prerendered at build; the search fetches it once, when first opened.
 */
export default defineEventHandler(async (event) => {
  const sections = await queryCollectionSearchSections(event, 'docs')
  const toolSections = tools.map(toolReference).map(t => ({
    id: `${TOOLS_PAGE}#${t.name}`,
    title: t.name,
    titles: ['Tools reference', t.title],
    level: 3,
    content: `${t.description} ${t.rest.method} ${t.rest.path}`,
  }))
  return [...sections, ...toolSections]
})
