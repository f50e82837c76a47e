import type { Db } from '@chorus/db'
import { mcpToolInfo, mcpTransport, toolPermission, type BotSettings, type RecordedToolCall } from '@chorus/protocol'
import type { McpConnections, McpServerAddress } from './mcp-client.js'
import { Toolset, type ToolDefinition, type ToolOutcome } from './toolset.js'

/** The built-in tools' work, done by the domains that own it (wired by the worker). */
export interface BuiltinTools {
  /** The bot's knowledge searched for `query`, as text for the model. */
  searchKnowledge(botId: string, query: string): Promise<string>
  /**
   * Hands the conversation to a person; `final` is what the user is told (the answer ends there).
   * `questionId`: the question being answered, whose prompt must not be aborted by the handoff.
   */
  handOver(target: { botId: string; conversationId: string; questionId?: string }, reason: string): Promise<ToolOutcome>
}

interface ServerTools {
  address: McpServerAddress
  name: string
  tools: Array<{ name: string; description: string; inputSchema: Record<string, unknown>; confirm: boolean }>
}

const builtinSearch = 'search_knowledge'
const builtinHandoff = 'handoff_to_human'

/** A name a model may call: OpenAI's 1–64 letters, digits, `_` or `-`. */
function callableName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'tool'
}

/**
 * The tools a bot's model may call, per prompt: its built-ins (from its settings) and the tools
 * admins allowed on its enabled MCP servers. Servers are read from PostgreSQL at most once per
 * `cacheMs` per bot, so a bot's prompts do not each cost a query.
 */
export class BotTools {
  private readonly cache = new Map<string, { at: number; servers: Promise<ServerTools[]> }>()

  constructor(
    private readonly db: Db,
    private readonly connections: McpConnections,
    private readonly builtins: BuiltinTools,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {}

  /**
   * The toolset for a prompt of `botId` in `conversationId` (none: the panel's test chat, where
   * there is no conversation to hand over); null when the bot has no tools.
   */
  async toolset(
    target: { botId: string; conversationId?: string; questionId?: string },
    settings: BotSettings['tools'],
  ): Promise<Toolset | null> {
    const tools: ToolDefinition[] = []
    if (settings.builtins.searchKnowledge) tools.push(this.searchTool(target.botId))
    if (settings.builtins.handoff && target.conversationId)
      tools.push(this.handoffTool({ ...target, conversationId: target.conversationId }))
    const taken = new Set(tools.map((tool) => tool.name))
    for (const server of await this.servers(target.botId)) {
      for (const tool of server.tools) {
        // Two servers may both have a `search`: the second is called by its server's name too.
        let name = callableName(tool.name)
        if (taken.has(name)) name = callableName(`${server.name}_${tool.name}`)
        if (taken.has(name)) continue
        taken.add(name)
        tools.push({
          name,
          description: tool.description,
          parameters: tool.inputSchema,
          server: server.name,
          confirm: tool.confirm,
          run: async (args, options) => this.connections.callTool(server.address, tool.name, args, options),
        })
      }
    }
    return tools.length > 0 ? new Toolset(tools, settings) : null
  }

  /** Forgets what was read for `botId` (or every bot): the next prompt reads the servers again. */
  forget(botId?: string): void {
    if (botId === undefined) this.cache.clear()
    else this.cache.delete(botId)
  }

  private servers(botId: string): Promise<ServerTools[]> {
    const now = (this.options.now ?? Date.now)()
    const kept = this.cache.get(botId)
    if (kept && now - kept.at < (this.options.cacheMs ?? 5000)) return kept.servers
    const servers = this.read(botId)
    this.cache.set(botId, { at: now, servers })
    servers.catch(() => this.cache.delete(botId))
    return servers
  }

  private async read(botId: string): Promise<ServerTools[]> {
    const rows = await this.db.mcpServer.findMany({
      where: { botId, enabled: true },
      orderBy: { createdAt: 'asc' },
      select: { id: true, name: true, url: true, transport: true, headers: true, tools: true, allowed: true, updatedAt: true },
    })
    return rows.map((row) => {
      const permissions = parseRecord(row.allowed, (value) => toolPermission.safeParse(value))
      const listed = Array.isArray(row.tools) ? row.tools.map((tool) => mcpToolInfo.safeParse(tool)).filter((t) => t.success) : []
      return {
        name: row.name,
        address: {
          id: row.id,
          url: row.url,
          transport: mcpTransport.catch('streamable_http').parse(row.transport),
          headers: parseRecord(row.headers, (value) => (typeof value === 'string' ? { success: true, data: value } : { success: false })),
          updatedAt: row.updatedAt,
        },
        tools: listed
          .map((parsed) => parsed.data)
          .filter((tool) => permissions[tool.name] !== undefined)
          .map((tool) => ({ ...tool, confirm: permissions[tool.name]!.confirm })),
      }
    })
  }

  private searchTool(botId: string): ToolDefinition {
    return {
      name: builtinSearch,
      description: "Searches this company's knowledge base (its documents and FAQ) and returns the passages that best match the query.",
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'What to look for, in the user’s words' } },
        required: ['query'],
      },
      server: 'builtin',
      confirm: false,
      run: async (args) => ({ text: await this.builtins.searchKnowledge(botId, String(args.query)), isError: false }),
    }
  }

  private handoffTool(target: { botId: string; conversationId: string; questionId?: string }): ToolDefinition {
    return {
      name: builtinHandoff,
      description: 'Hands the conversation to a human agent: when the user asks for a person, or the request needs one.',
      parameters: { type: 'object', properties: { reason: { type: 'string', description: 'Why a person is needed' } } },
      server: 'builtin',
      confirm: false,
      run: async (args) => this.builtins.handOver(target, typeof args.reason === 'string' ? args.reason.slice(0, 200) : 'the model asked'),
    }
  }
}

function parseRecord<T>(value: unknown, parse: (value: unknown) => { success: boolean; data?: T }): Record<string, T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
  const entries: Array<[string, T]> = []
  for (const [key, item] of Object.entries(value)) {
    const parsed = parse(item)
    if (parsed.success) entries.push([key, parsed.data as T])
  }
  return Object.fromEntries(entries)
}

/**
 * The audit log's entry for a tool call a bot made (no result: it may hold personal data); a call
 * from the panel's test chat has the bot as its target.
 */
export function toolCallAuditEntry(target: { botId: string; conversationId?: string }, call: RecordedToolCall) {
  const data = { tool: call.tool, server: call.server, status: call.status, ms: call.ms, arguments: call.arguments.slice(0, 2000) }
  return {
    actorType: 'bot',
    actorId: target.botId,
    action: 'tool.call',
    ...(target.conversationId
      ? { targetType: 'conversation', targetId: target.conversationId, data }
      : { targetType: 'bot', targetId: target.botId, data: { ...data, testChat: true } }),
  }
}
