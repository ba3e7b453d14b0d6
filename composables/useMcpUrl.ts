/** This server's MCP endpoint, from the base URL it is configured with (NUXT_PUBLIC_BASE_URL). */
export function useMcpUrl() {
  const config = useRuntimeConfig()
  return computed(() => `${config.public.baseUrl.replace(/\/+$/, '')}/mcp`)
}
