import { mcpToolInfo, mcpTransport, toolPermission, type McpServerView, type McpToolInfo, type ToolPermission } from '@chorus/protocol'
import { z } from 'zod'
import type { McpServerRow } from './mcp-servers.repository.js'

const storedHeaders = z.record(z.string(), z.string()).catch({})
const storedTools = z.array(mcpToolInfo).catch([])
const storedAllowed = z.record(z.string(), toolPermission).catch({})

/** A row's JSON columns read back with their types (anything unreadable as empty). */
export function storedFields(row: McpServerRow): {
  headers: Record<string, string>
  tools: McpToolInfo[]
  allowed: Record<string, ToolPermission>
} {
  return { headers: storedHeaders.parse(row.headers), tools: storedTools.parse(row.tools), allowed: storedAllowed.parse(row.allowed) }
}

/** A server as the panel sees it: header names only, never their values. */
export function toMcpServerView(row: McpServerRow): McpServerView {
  const { headers, tools, allowed } = storedFields(row)
  return {
    id: row.id,
    botId: row.botId,
    name: row.name,
    url: row.url,
    transport: mcpTransport.catch('streamable_http').parse(row.transport),
    headers: Object.keys(headers),
    enabled: row.enabled,
    tools,
    allowed,
    lastError: row.lastError,
    refreshedAt: row.refreshedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}
