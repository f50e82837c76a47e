import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { z } from 'zod'

/** A call the test server received. */
export interface ReceivedCall {
  tool: string
  arguments: Record<string, unknown>
  /** The request's Authorization header, to check that configured headers arrive. */
  authorization: string | null
}

export interface TestMcpServer {
  /** Streamable HTTP endpoint. */
  url: string
  /** The older HTTP+SSE transport's endpoint. */
  sseUrl: string
  calls: ReceivedCall[]
  close(): Promise<void>
}

/** Orders the test server knows (a travel agency's bookings). */
export const testOrders: Record<string, string> = {
  A1024: '订单 A1024：西湖一日游，2 人，2027-01-15 出发，已出票。',
  B2048: '订单 B2048：千岛湖两日游，1 人，2027-02-02 出发，待付款。',
}

/**
 * An MCP server for tests, made with the official SDK: a travel agency's tools. `get_order`
 * looks an order up (an unknown id is a tool error), `cancel_order` changes something (tests
 * allow it only with the user's confirmation), `slow_report` answers after `slowMs`, and
 * `broken_report` throws. Descriptions quote trigger words in 「」 for the inference simulator's
 * tool-call rule (docs/inference-simulator.md).
 */
export async function startTestMcpServer(options: { slowMs?: number; requiredAuthorization?: string } = {}): Promise<TestMcpServer> {
  const calls: ReceivedCall[] = []
  const pending = new Set<() => void>()
  const slowMs = options.slowMs ?? 30_000
  const build = (authorization: string | null) => {
    const server = new McpServer({ name: 'chorus-test-travel', version: '1.0.0' })
    const record = (tool: string, args: Record<string, unknown>) => calls.push({ tool, arguments: args, authorization })
    server.registerTool(
      'get_order',
      {
        description: 'Looks up a travel order by its id. 「订单」「order」',
        inputSchema: {
          order_id: z
            .string()
            .regex(/^[A-Z]\d{4}$/)
            .describe('The order id, such as A1024'),
        },
      },
      async (args) => {
        record('get_order', args)
        const order = testOrders[args.order_id]
        return order
          ? { content: [{ type: 'text', text: order }] }
          : { content: [{ type: 'text', text: `no order ${args.order_id}` }], isError: true }
      },
    )
    server.registerTool(
      'cancel_order',
      {
        description: 'Cancels a travel order. 「取消」',
        inputSchema: { order_id: z.string().regex(/^[A-Z]\d{4}$/) },
      },
      async (args) => {
        record('cancel_order', args)
        return { content: [{ type: 'text', text: `订单 ${args.order_id} 已取消，退款将在 3 个工作日内到账。` }] }
      },
    )
    server.registerTool(
      'slow_report',
      { description: 'A report that takes long. 「报表」', inputSchema: { query: z.string() } },
      async (args) => {
        record('slow_report', args)
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, slowMs)
          // Closing the server ends the wait: no timer outlives a test.
          pending.add(() => {
            clearTimeout(timer)
            resolve(undefined)
          })
        })
        return { content: [{ type: 'text', text: 'report ready' }] }
      },
    )
    server.registerTool(
      'broken_report',
      { description: 'A report whose back end is down. 「统计」', inputSchema: { query: z.string() } },
      async (args) => {
        record('broken_report', args)
        throw new Error('the reporting database is unreachable')
      },
    )
    return server
  }

  const sse = new Map<string, SSEServerTransport>()
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization ?? null
    if (options.requiredAuthorization && authorization !== options.requiredAuthorization) {
      res.writeHead(401).end('unauthorized')
      return
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path === '/mcp') {
      // Stateless: a server and a transport per request, as the SDK's stateless example does.
      const server = build(authorization)
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
      res.on('close', () => void transport.close().then(() => server.close()))
      await server.connect(transport)
      await transport.handleRequest(req, res)
      return
    }
    if (path === '/sse' && req.method === 'GET') {
      const transport = new SSEServerTransport('/messages', res)
      sse.set(transport.sessionId, transport)
      res.on('close', () => sse.delete(transport.sessionId))
      await build(authorization).connect(transport)
      return
    }
    if (path === '/messages' && req.method === 'POST') {
      const transport = sse.get(new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '')
      if (!transport) {
        res.writeHead(404).end('no such session')
        return
      }
      await transport.handlePostMessage(req, res)
      return
    }
    res.writeHead(404).end()
  }
  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return {
    url: `${base}/mcp`,
    sseUrl: `${base}/sse`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of pending) end()
        http.closeAllConnections()
        http.close(() => resolve())
      }),
  }
}
