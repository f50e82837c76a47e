import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { mcpToolInfo, type McpToolInfo, type McpTransport } from '@chorus/protocol'

/** Where an MCP server is and how to reach it (a row of `mcp_servers`, headers as stored). */
export interface McpServerAddress {
  id: string
  url: string
  transport: McpTransport
  /** Header values may name an environment variable as `${CHORUS_MCP_…}`. */
  headers: Record<string, string>
  /** When the address last changed: a cached connection made before it is not reused. */
  updatedAt: Date
}

/** What a tool call gave back, as text for the model. */
export interface McpCallResult {
  text: string
  /** The server said the tool failed (`isError`). */
  isError: boolean
}

const clientInfo = { name: 'chorus', version: '0.1.0' }

/**
 * `${CHORUS_MCP_…}` in a header value, read from `env` (a missing variable is an empty string).
 * Only variables named for the purpose: an admin could otherwise send `${DATABASE_URL}` to a
 * server of theirs.
 */
export function expandHeaders(headers: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, value.replace(/\$\{(CHORUS_MCP_[A-Z0-9_]+)\}/g, (_, v: string) => env[v] ?? '')]),
  )
}

/**
 * `message` with every header value, and every word of one (a token after "Bearer"), replaced:
 * a server's error may echo what it was sent, and errors reach the model, the console and the panel.
 */
export function withoutSecrets(message: string, headers: Record<string, string>): string {
  const secrets = Object.values(headers)
    .flatMap((value) => [value, ...value.split(/\s+/)])
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length)
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message)
}

/** A call result's content as text: text parts as they are, anything else (images, resources) described in a line. */
function textOf(content: unknown): string {
  if (!Array.isArray(content)) return ''
  return content
    .map((part: { type?: string; text?: unknown; resource?: { uri?: string; text?: unknown } }) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text
      if (part.type === 'resource' && typeof part.resource?.text === 'string') return part.resource.text
      return `[${part.type ?? 'content'}${part.resource?.uri ? ` ${part.resource.uri}` : ''}]`
    })
    .join('\n')
}

/**
 * MCP clients, one per server, kept open between calls: a connection that fails is dropped and
 * made again on the next call, and one whose server's address changed is replaced.
 */
export class McpConnections {
  private readonly clients = new Map<string, { stamp: number; client: Promise<Client> }>()

  /** `env`: where `${CHORUS_MCP_…}` in a server's header values is read. */
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The tools the server lists (every page). */
  async listTools(server: McpServerAddress, options: { timeoutMs?: number } = {}): Promise<McpToolInfo[]> {
    return this.using(server, async (client) => {
      const tools: McpToolInfo[] = []
      let cursor: string | undefined
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: options.timeoutMs ?? 10_000 })
        for (const tool of page.tools) tools.push(mcpToolInfo.parse({ ...tool, description: tool.description ?? '' }))
        cursor = page.nextCursor
      } while (cursor && tools.length < 1000)
      return tools
    })
  }

  /** Calls a tool; a timeout or a broken connection throws (the connection is made again next time). */
  async callTool(
    server: McpServerAddress,
    name: string,
    args: Record<string, unknown>,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<McpCallResult> {
    return this.using(
      server,
      async (client) => {
        const result = await client.callTool({ name, arguments: args }, undefined, {
          timeout: options.timeoutMs,
          maxTotalTimeout: options.timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        })
        const structured = 'structuredContent' in result && result.structuredContent ? JSON.stringify(result.structuredContent) : ''
        const text = textOf(result.content) || structured
        return { text, isError: result.isError === true }
      },
      options.signal,
    )
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(clients.map(async ({ client }) => (await client.catch(() => null))?.close()))
  }

  private async using<T>(server: McpServerAddress, work: (client: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let client: Client | undefined
    try {
      client = await this.connection(server)
      return await work(client)
    } catch (error) {
      // A JSON-RPC error (the tool's, a timeout) leaves the session as it was; a transport's
      // failure may not: the next call starts a new one. Calls of other conversations go on.
      // An abort (the tool's time was up, the prompt was cancelled) is the caller's, not the session's.
      if (client && !(error instanceof McpError) && !signal?.aborted) this.drop(server.id, client)
      const message = error instanceof Error ? error.message : String(error)
      throw new Error(withoutSecrets(message, expandHeaders(server.headers, this.env)), { cause: error })
    }
  }

  private connection(server: McpServerAddress): Promise<Client> {
    const stamp = server.updatedAt.getTime()
    const kept = this.clients.get(server.id)
    // An older address (a prompt that read the server before an admin changed it) never replaces a newer one.
    if (kept && kept.stamp >= stamp) return kept.client
    if (kept) void kept.client.then((client) => client.close()).catch(() => undefined)
    const client = this.connect(server)
    this.clients.set(server.id, { stamp, client })
    // A failed connection is not kept: the next call tries again.
    client.catch(() => {
      if (this.clients.get(server.id)?.client === client) this.clients.delete(server.id)
    })
    return client
  }

  private async connect(server: McpServerAddress): Promise<Client> {
    const url = new URL(server.url)
    // Both transports send these with every request, the SSE transport's event stream included.
    const requestInit = { headers: expandHeaders(server.headers, this.env) }
    const transport =
      server.transport === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit })
    const client = new Client(clientInfo)
    await client.connect(transport, { timeout: 10_000 })
    return client
  }

  private drop(id: string, client: Client): void {
    const kept = this.clients.get(id)
    if (!kept) return
    void kept.client
      .then((c) => {
        if (c !== client) return
        if (this.clients.get(id) === kept) this.clients.delete(id)
        void c.close().catch(() => undefined)
      })
      // A newer connection still being made, which failed: `connection()` forgets it itself.
      .catch(() => undefined)
  }
}
