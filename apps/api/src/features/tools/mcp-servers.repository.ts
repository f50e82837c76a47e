import type { Db, Prisma } from '@chorus/db'
import type { McpToolInfo, McpTransport, ToolPermission } from '@chorus/protocol'

/** A server's address and headers as the admin set them. */
export interface McpServerFields {
  name: string
  url: string
  transport: McpTransport
  headers: Record<string, string>
}

/** What asking a server for its tools left: the list (kept as it was on failure) and the error, if any. */
export interface McpToolsReading {
  tools?: McpToolInfo[]
  allowed?: Record<string, ToolPermission>
  refreshedAt?: Date
  lastError: string | null
}

/** The MCP servers connected to bots, in PostgreSQL (`mcp_servers`). */
export class McpServersRepository {
  constructor(private readonly db: Db) {}

  async botExists(botId: string): Promise<boolean> {
    return (await this.db.bot.count({ where: { id: botId } })) === 1
  }

  list(botId: string) {
    return this.db.mcpServer.findMany({ where: { botId }, orderBy: { createdAt: 'asc' } })
  }

  find(id: string) {
    return this.db.mcpServer.findUnique({ where: { id } })
  }

  create(botId: string, fields: McpServerFields) {
    return this.db.mcpServer.create({ data: { botId, ...fields } })
  }

  update(id: string, change: Partial<McpServerFields> & { enabled?: boolean; allowed?: Record<string, ToolPermission> }) {
    return this.db.mcpServer.update({ where: { id }, data: change })
  }

  /** Stores what the server listed (or why it could not be asked). */
  saveTools(id: string, reading: McpToolsReading) {
    const data: Prisma.McpServerUpdateInput = { lastError: reading.lastError }
    if (reading.tools) data.tools = reading.tools as Prisma.InputJsonValue
    if (reading.allowed) data.allowed = reading.allowed
    if (reading.refreshedAt) data.refreshedAt = reading.refreshedAt
    return this.db.mcpServer.update({ where: { id }, data })
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.mcpServer.deleteMany({ where: { id } })).count === 1
  }
}

export type McpServerRow = NonNullable<Awaited<ReturnType<McpServersRepository['find']>>>
