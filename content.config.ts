import { defineCollection, defineContentConfig, z } from '@nuxt/content'

export default defineContentConfig({
  collections: {
    docs: defineCollection({
      type: 'page',
      source: 'docs/**/*.md',
      schema: z.object({
        // The page's Markdown source as written: llms-full.txt is made of it.
        rawbody: z.string(),
      }),
    }),
  },
})
