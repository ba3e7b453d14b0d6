import { docPages } from '../docs/pages'
import { llmsIndex } from '../docs/llms'

// Prerendered at build (nuxt.config.ts): served as a static file.
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return llmsIndex(await docPages(event))
})
