import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { mcpToolInfo, type McpToolInfo, type McpTransport } from '@chorus/protocol'

/** Where an MCP server is and how to reach it (a row of `mcp_servers`, headers as stored). */
export interface McpServerAddress {
  id: string
  url: string
  transport: McpTransport
  /** Header values may name an environment variable as `${NAME}`. */
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

/** `${NAME}` in a header value, read from `env` (a missing variable is an empty string). */
export function expandHeaders(headers: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, v) => env[v] ?? '')]),
  )
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

  /** `env`: where `${NAME}` in a server's header values is read. */
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
    return this.using(server, async (client) => {
      const result = await client.callTool({ name, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        maxTotalTimeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      })
      const structured = 'structuredContent' in result && result.structuredContent ? JSON.stringify(result.structuredContent) : ''
      const text = textOf(result.content) || structured
      return { text, isError: result.isError === true }
    })
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(clients.map(async ({ client }) => (await client.catch(() => null))?.close()))
  }

  private async using<T>(server: McpServerAddress, work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connection(server)
    try {
      return await work(client)
    } catch (error) {
      // A timeout or a failed request may have left the session unusable: the next call starts a new one.
      this.drop(server.id, client)
      throw error
    }
  }

  private connection(server: McpServerAddress): Promise<Client> {
    const stamp = server.updatedAt.getTime()
    const kept = this.clients.get(server.id)
    if (kept && kept.stamp === stamp) return kept.client
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
    void kept.client.then((c) => {
      if (c !== client) return
      if (this.clients.get(id) === kept) this.clients.delete(id)
      void c.close().catch(() => undefined)
    })
  }
}
