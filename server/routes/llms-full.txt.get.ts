import { docPages } from '../docs/pages'
import { llmsFull } from '../docs/llms'
import { toolReference } from '../docs/reference'
import { tools } from '../tools/registry'

// Prerendered at build (nuxt.config.ts): served as a static file.
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return llmsFull(await docPages(event, true), tools.map(toolReference))
})
