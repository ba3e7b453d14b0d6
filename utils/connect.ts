/** A ready-to-paste way to connect one MCP client to this server. */
export interface ConnectSnippet {
  id: string
  label: string
  icon: string
  /** What to do with the blocks, in one or two sentences. */
  intro: string
  blocks: { filename?: string, language: string, code: string }[]
  /** How this client signs in. */
  auth: string
}

const json = (value: unknown) => JSON.stringify(value, null, 2)

/** The snippets for the MCP endpoint `url`, in the order the connect page shows them. */
export function connectSnippets(url: string): ConnectSnippet[] {
  return [
    {
      id: 'claude-code',
      label: 'Claude Code',
      icon: 'i-lucide-square-terminal',
      intro: 'Add the server once from a terminal; it is then available in every Claude Code session.',
      blocks: [{ language: 'bash', code: `claude mcp add --transport http mctl ${url}` }],
      auth: 'In Claude Code, type /mcp, pick mctl and choose Authenticate: your browser opens this server\'s sign-in. With a personal access token instead, add --header "Authorization: Bearer $MCTL_TOKEN".',
    },
    {
      id: 'cursor',
      label: 'Cursor',
      icon: 'i-lucide-mouse-pointer-2',
      intro: 'Add the server to Cursor\'s MCP settings, for all projects or for one (.cursor/mcp.json in the project).',
      blocks: [{ filename: '~/.cursor/mcp.json', language: 'json', code: json({ mcpServers: { mctl: { url } } }) }],
      auth: 'Cursor shows "Needs login" next to mctl in Settings → MCP; click it to sign in. With a token, add "headers": { "Authorization": "Bearer <token>" } to the mctl entry.',
    },
    {
      id: 'vscode',
      label: 'VS Code',
      icon: 'i-lucide-code',
      intro: 'Add the server to the workspace (.vscode/mcp.json), or run the command below to add it to your user profile.',
      blocks: [
        { filename: '.vscode/mcp.json', language: 'json', code: json({ servers: { mctl: { type: 'http', url } } }) },
        { language: 'bash', code: `code --add-mcp '${JSON.stringify({ name: 'mctl', type: 'http', url })}'` },
      ],
      auth: 'VS Code asks to sign in the first time Copilot Chat (agent mode) starts the server; allow it and approve access in the browser.',
    },
    {
      id: 'claude-desktop',
      label: 'Claude Desktop',
      icon: 'i-lucide-monitor',
      intro: 'In Settings → Connectors, choose Add custom connector and paste the server URL — the same steps as Claude.ai. Older versions without connectors can bridge through mcp-remote in the config file:',
      blocks: [{ filename: 'claude_desktop_config.json', language: 'json', code: json({ mcpServers: { mctl: { command: 'npx', args: ['-y', 'mcp-remote', url] } } }) }],
      auth: 'A connector signs in with OAuth in your browser; mcp-remote opens the same sign-in page on first use.',
    },
    {
      id: 'windsurf',
      label: 'Windsurf',
      icon: 'i-lucide-wind',
      intro: 'Add the server to Windsurf\'s MCP configuration, then press Refresh in the Cascade MCP panel.',
      blocks: [{ filename: '~/.codeium/windsurf/mcp_config.json', language: 'json', code: json({ mcpServers: { mctl: { serverUrl: url } } }) }],
      auth: 'Windsurf opens this server\'s sign-in in your browser. With a token, add "headers": { "Authorization": "Bearer <token>" }.',
    },
    {
      id: 'generic',
      label: 'Other clients',
      icon: 'i-lucide-plug',
      intro: 'Any client that speaks MCP over Streamable HTTP works: the endpoint is stateless and answers each POST with JSON. Try it with curl:',
      blocks: [{
        language: 'bash',
        code: [
          `curl ${url} \\`,
          '  -H "Authorization: Bearer $MCTL_TOKEN" \\',
          '  -H "Content-Type: application/json" \\',
          '  -H "Accept: application/json, text/event-stream" \\',
          `  -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
        ].join('\n'),
      }],
      auth: `OAuth 2.1 clients discover the authorization server from ${url.replace(/\/mcp$/, '')}/.well-known/oauth-protected-resource/mcp (a 401 points there too); others send a personal access token as a bearer token.`,
    },
  ]
}

/**
 * The toolsets a client can limit itself to with `/mcp?toolsets=a,b` (the folders of the tool
 * registry; identity, with mctl_whoami, is always included). Fewer tools, a smaller tools/list.
 */
export const TOOLSETS: { name: string, description: string }[] = [
  { name: 'identity', description: 'who you are and your tenants (always included)' },
  { name: 'tenants', description: 'teams\' tenants: create, inspect, delete' },
  { name: 'services', description: 'deploy, scale, roll back, logs, status, config' },
  { name: 'operations', description: 'operation catalogue, runs and the audit log' },
  { name: 'incidents', description: 'alerts and the self-healing agent' },
  { name: 'domains', description: 'custom domains and their DNS' },
  { name: 'databases', description: 'PostgreSQL databases' },
  { name: 'previews', description: 'preview environments' },
  { name: 'repos', description: 'GitHub repositories' },
  { name: 'optimization', description: 'OpenClaw sizing and resource profiles' },
]

/** The MCP URL limited to some toolsets. */
export const toolsetsUrl = (url: string, names: string[]) => `${url}?toolsets=${names.join(',')}`
