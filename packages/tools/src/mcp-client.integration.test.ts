import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { McpConnections, type McpServerAddress } from './mcp-client.js'
import { startTestMcpServer, type TestMcpServer } from './testing/index.js'

describe('McpConnections against an MCP server made with the SDK', () => {
  let server: TestMcpServer
  const connections = new McpConnections({ CHORUS_MCP_TRAVEL_TOKEN: 'secret-token' })
  const address = (overrides: Partial<McpServerAddress> = {}): McpServerAddress => ({
    id: 'travel',
    url: server.url,
    transport: 'streamable_http',
    headers: { Authorization: 'Bearer ${CHORUS_MCP_TRAVEL_TOKEN}' },
    updatedAt: new Date(0),
    ...overrides,
  })

  beforeAll(async () => {
    server = await startTestMcpServer({ slowMs: 2000, requiredAuthorization: 'Bearer secret-token' })
  })
  afterAll(async () => {
    await connections.close()
    await server.close()
  })

  it('lists the tools with their schemas over Streamable HTTP, sending the configured header from the environment', async () => {
    const tools = await connections.listTools(address())
    expect(tools.map((tool) => tool.name)).toEqual(['get_order', 'cancel_order', 'slow_report', 'broken_report'])
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object', required: ['order_id'] })
  })

  it('calls a tool and gets its text, and a tool error as an error', async () => {
    await expect(connections.callTool(address(), 'get_order', { order_id: 'A1024' }, { timeoutMs: 5000 })).resolves.toEqual({
      text: expect.stringContaining('西湖一日游'),
      isError: false,
    })
    await expect(connections.callTool(address(), 'get_order', { order_id: 'Z9999' }, { timeoutMs: 5000 })).resolves.toEqual({
      text: 'no order Z9999',
      isError: true,
    })
    expect(server.calls.at(-1)).toEqual({ tool: 'get_order', arguments: { order_id: 'Z9999' }, authorization: 'Bearer secret-token' })
  })

  it('works over the older SSE transport too', async () => {
    const sse = address({ id: 'travel-sse', url: server.sseUrl, transport: 'sse' })
    expect((await connections.listTools(sse)).length).toBe(4)
    await expect(connections.callTool(sse, 'get_order', { order_id: 'B2048' }, { timeoutMs: 5000 })).resolves.toMatchObject({
      text: expect.stringContaining('千岛湖'),
    })
  })

  it('gives up a slow tool after the timeout, and the next call works on a new connection', async () => {
    await expect(connections.callTool(address(), 'slow_report', { query: 'x' }, { timeoutMs: 300 })).rejects.toThrow(/timed out/i)
    await expect(connections.callTool(address(), 'get_order', { order_id: 'A1024' }, { timeoutMs: 5000 })).resolves.toMatchObject({
      isError: false,
    })
  })

  it('fails clearly when the server refuses the credentials', async () => {
    await expect(connections.listTools(address({ id: 'wrong', headers: { Authorization: 'Bearer nope' } }))).rejects.toThrow()
  })
})
