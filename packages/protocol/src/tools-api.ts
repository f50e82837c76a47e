import { z } from 'zod'

/** How Chorus talks to an MCP server: Streamable HTTP, or the older HTTP+SSE transport. */
export const mcpTransport = z.enum(['streamable_http', 'sse'])
export type McpTransport = z.infer<typeof mcpTransport>

/** A tool as an MCP server lists it (`tools/list`). */
export const mcpToolInfo = z.object({
  name: z.string().min(1).max(128),
  description: z.string().max(8000).default(''),
  /** The JSON Schema its arguments must satisfy. */
  inputSchema: z.record(z.string(), z.unknown()).default({ type: 'object' }),
})
export type McpToolInfo = z.infer<typeof mcpToolInfo>

/** What an admin allows of a tool: offered to the model, and whether the user must say yes first. */
export const toolPermission = z.object({ confirm: z.boolean().default(false) })
export type ToolPermission = z.infer<typeof toolPermission>

const headerName = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'an HTTP header name')

const serverName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_-]{1,40}$/, '1 to 40 letters, digits, _ or -')
const serverUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'an http(s) URL')
const serverHeaders = z.record(headerName, z.string().max(4000))

/** `POST /api/bots/:botId/mcp-servers`. Header values may name an environment variable as `${CHORUS_MCP_…}`. */
export const mcpServerCreateBody = z.object({
  name: serverName,
  url: serverUrl,
  transport: mcpTransport.default('streamable_http'),
  headers: serverHeaders.default({}),
})
export type McpServerCreateBody = z.infer<typeof mcpServerCreateBody>

/**
 * `PATCH /api/mcp-servers/:id`: only the fields sent change. `headers` replaces them all; a
 * header sent with the value `"********"` keeps its stored value (the panel never sees it).
 */
export const mcpServerUpdateBody = z.object({
  name: serverName.optional(),
  url: serverUrl.optional(),
  transport: mcpTransport.optional(),
  headers: serverHeaders.optional(),
  enabled: z.boolean().optional(),
  /** The tools offered to the bot's model, by name; the others are not. */
  allowed: z.record(z.string().min(1).max(128), toolPermission).optional(),
})
export type McpServerUpdateBody = z.infer<typeof mcpServerUpdateBody>

/** A header value as the API shows it: never the value itself. */
export const hiddenHeaderValue = '********'

/** An MCP server connected to a bot, as the panel shows it. */
export const mcpServerView = z.object({
  id: z.string(),
  botId: z.string(),
  name: z.string(),
  url: z.string(),
  transport: mcpTransport,
  /** Header names; their values are never sent back. */
  headers: z.array(z.string()),
  enabled: z.boolean(),
  /** The tools the server listed when last asked. */
  tools: z.array(mcpToolInfo),
  allowed: z.record(z.string(), toolPermission),
  lastError: z.string().nullable(),
  refreshedAt: z.string().nullable(),
  createdAt: z.string(),
})
export type McpServerView = z.infer<typeof mcpServerView>

/** How a tool call ended. */
export const toolCallStatus = z.enum(['ok', 'error', 'timeout', 'invalid_arguments', 'unknown_tool', 'awaiting_confirmation', 'declined'])
export type ToolCallStatus = z.infer<typeof toolCallStatus>

/**
 * A tool call made while answering, kept with the reply it led to (`meta.toolCalls`) and shown
 * collapsed in the agent console.
 */
export const recordedToolCall = z.object({
  id: z.string().max(200),
  /** The name the model called. */
  tool: z.string().max(200),
  /** The MCP server's name, or `builtin`. */
  server: z.string().max(100),
  /** The arguments as the model wrote them (JSON text). */
  arguments: z.string().max(20_000),
  status: toolCallStatus,
  /** What the model was given back (cut to the bot's size cap), or the error. */
  result: z.string().max(100_000),
  ms: z.number().int().min(0),
})
export type RecordedToolCall = z.infer<typeof recordedToolCall>
