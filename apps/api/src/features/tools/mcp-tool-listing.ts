import { McpConnections, type McpServerAddress } from '@chorus/tools'
import type { McpToolInfo } from '@chorus/protocol'

/** What asking an MCP server for its tools gave: the tools, or a short reason it could not be asked. */
export type McpToolListing = { ok: true; tools: McpToolInfo[] } | { ok: false; error: string }

/** Asks an MCP server for its tools. */
export type McpToolLister = (server: McpServerAddress) => Promise<McpToolListing>

const listTimeoutMs = 10_000

/**
 * Lists servers' tools, `${CHORUS_MCP_…}` in header values read from `env`, each time on a connection of
 * its own closed straight after: the panel asks seldom, and an SSE stream left open would hold
 * the server's resources for nothing.
 */
export function mcpToolLister(env: NodeJS.ProcessEnv): McpToolLister {
  return async (server) => {
    const connections = new McpConnections(env)
    try {
      return { ok: true, tools: await connections.listTools(server, { timeoutMs: listTimeoutMs }) }
    } catch (error) {
      return { ok: false, error: listingError(error) }
    } finally {
      await connections.close()
    }
  }
}

/**
 * Why listing failed, short enough for the panel; McpConnections has already blanked every header
 * value (and each word of one) out of it: an error may quote what was sent.
 */
function listingError(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error)
  // The SDK's transport errors carry the HTTP status apart from their message (the cause of the connections' error).
  const status = ((error as { cause?: { code?: unknown } } | null)?.cause ?? (error as { code?: unknown } | null))?.code
  if (typeof status === 'number' && status >= 400 && status < 600 && !message.includes(String(status)))
    message = `HTTP ${status}: ${message}`
  return (message || 'the server could not be asked for its tools').slice(0, 300)
}
