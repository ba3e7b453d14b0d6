/** The docs sidebar: the content tree under /docs, in file-number order. */
export async function useDocsNavigation() {
  const { data } = await useAsyncData('docs-navigation', () => queryCollectionNavigation('docs'))
  return computed(() => data.value?.[0]?.children ?? [])
}

/** One docs page and its neighbours; a path with no page is a real 404. */
export async function useDocsPage(path: string) {
  // Every composable is called before the first await: after it, Nuxt's instance is gone.
  const pageData = useAsyncData(`docs:${path}`, () => queryCollection('docs').path(path).first())
  const surroundData = useAsyncData(`docs-surround:${path}`, () => queryCollectionItemSurroundings('docs', path, { fields: ['description'] }))
  useSeoMeta({
    title: () => `${pageData.data.value?.title ?? 'Docs'} · MCTL`,
    description: () => pageData.data.value?.description,
  })
  const [{ data: page }, { data: surround }] = await Promise.all([pageData, surroundData])
  if (!page.value) throw createError({ statusCode: 404, statusMessage: `No docs page at ${path}`, fatal: true })
  return { page: page as Ref<NonNullable<typeof page.value>>, surround }
}
