import type { McpServerView } from '@chorus/protocol'
import { startTestMcpServer, type TestMcpServer } from '@chorus/tools/testing'
import { sharedStack } from '../../../../../test/support/shared-stack.js'
import { StaffClient } from '../../../../../test/support/staff-client.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const secret = 'Bearer travel-desk-7f3a9c'

describe('admin: MCP servers of a bot', () => {
  const stack = sharedStack({ env: admin, worker: false })
  let root: StaffClient
  let botId: string
  let mcp: TestMcpServer

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    botId = (await root.ok<{ bot: { id: string } }>('POST', '/api/bots', { name: 'Travel desk' }, 201)).bot.id
    mcp = await startTestMcpServer({ requiredAuthorization: secret })
  })

  afterAll(async () => {
    await mcp?.close()
  })

  const create = (body: Record<string, unknown>) => root.call<McpServerView>('POST', `/api/bots/${botId}/mcp-servers`, body)

  it('connects a server, lists its tools with the stored headers, and never shows a header value', async () => {
    const created = await create({ name: 'orders', url: mcp.url, headers: { Authorization: secret } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'orders', transport: 'streamable_http', headers: ['Authorization'], lastError: null })
    expect(created.body.tools.map((tool) => tool.name).sort()).toEqual(['broken_report', 'cancel_order', 'get_order', 'slow_report'])
    expect(created.body.refreshedAt).not.toBeNull()

    const list = await root.ok<McpServerView[]>('GET', `/api/bots/${botId}/mcp-servers`)
    expect(list.map((server) => server.name)).toEqual(['orders'])
    expect(JSON.stringify([created.body, list])).not.toContain('travel-desk')
  })

  it('records why a server without the right headers could not be asked', async () => {
    const refused = await create({ name: 'no-auth', url: mcp.url })
    expect(refused.status).toBe(201)
    expect(refused.body.tools).toEqual([])
    expect(refused.body.lastError).toMatch(/401/)
    expect(refused.body.refreshedAt).toBeNull()

    // Given the right header, it is asked again at once.
    const fixed = await root.ok<McpServerView>('PATCH', `/api/mcp-servers/${refused.body.id}`, { headers: { Authorization: secret } })
    expect(fixed).toMatchObject({ lastError: null, tools: expect.arrayContaining([expect.objectContaining({ name: 'get_order' })]) })
    expect((await root.call('DELETE', `/api/mcp-servers/${refused.body.id}`)).status).toBe(204)
  })

  it('allows listed tools only, and keeps a header value sent back hidden', async () => {
    const server = (await root.ok<McpServerView[]>('GET', `/api/bots/${botId}/mcp-servers`)).find((s) => s.name === 'orders')!
    const allowed = await root.ok<McpServerView>('PATCH', `/api/mcp-servers/${server.id}`, {
      allowed: { get_order: {}, cancel_order: { confirm: true } },
      headers: { Authorization: '********', 'X-Desk': 'hangzhou' },
    })
    expect(allowed.allowed).toEqual({ get_order: { confirm: false }, cancel_order: { confirm: true } })
    expect(allowed.headers.sort()).toEqual(['Authorization', 'X-Desk'])
    expect(JSON.stringify(allowed)).not.toContain('hangzhou')

    const unknown = await root.call<{ error: { message: string } }>('PATCH', `/api/mcp-servers/${server.id}`, {
      allowed: { drop_tables: {} },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toContain('drop_tables')

    // The kept value still reaches the server: listing again works.
    const refreshed = await root.ok<McpServerView>('POST', `/api/mcp-servers/${server.id}/refresh`)
    expect(refreshed).toMatchObject({ lastError: null, allowed: { get_order: { confirm: false }, cancel_order: { confirm: true } } })
  })

  it('refuses a second server of the same name (409) and an unknown bot (404)', async () => {
    expect((await create({ name: 'orders', url: mcp.url })).status).toBe(409)
    expect((await root.call('POST', '/api/bots/no-such-bot/mcp-servers', { name: 'x', url: mcp.url })).status).toBe(404)
    expect((await root.call('GET', '/api/bots/no-such-bot/mcp-servers')).status).toBe(404)
  })

  it('lists tools over the older SSE transport', async () => {
    const sse = await create({ name: 'orders-sse', url: mcp.sseUrl, transport: 'sse', headers: { Authorization: secret } })
    expect(sse.status).toBe(201)
    expect(sse.body).toMatchObject({ transport: 'sse', lastError: null })
    expect(sse.body.tools.map((tool) => tool.name)).toContain('get_order')
  })

  it('records the error when the server is gone, keeping the tools it listed before', async () => {
    const gone = await startTestMcpServer()
    const server = (await create({ name: 'short-lived', url: gone.url })).body
    await root.ok('PATCH', `/api/mcp-servers/${server.id}`, { allowed: { get_order: {} } })
    await gone.close()
    const refreshed = await root.ok<McpServerView>('POST', `/api/mcp-servers/${server.id}/refresh`)
    expect(refreshed.lastError).toEqual(expect.any(String))
    expect(refreshed.tools.map((tool) => tool.name)).toContain('get_order')
    expect(refreshed.allowed).toEqual({ get_order: { confirm: false } })
  })

  it('removes a server, and writes every change to the audit log without header values', async () => {
    const server = (await root.ok<McpServerView[]>('GET', `/api/bots/${botId}/mcp-servers`)).find((s) => s.name === 'orders')!
    expect((await root.call('DELETE', `/api/mcp-servers/${server.id}`)).status).toBe(204)
    expect((await root.call('DELETE', `/api/mcp-servers/${server.id}`)).status).toBe(404)

    const audit = await stack().database.db.auditLog.findMany({ where: { targetId: server.id }, orderBy: { id: 'asc' } })
    expect(audit.map((entry) => entry.action)).toEqual([
      'mcp_server.create',
      'mcp_server.update',
      'mcp_server.refresh',
      'mcp_server.delete',
    ])
    expect(JSON.stringify(audit.map((entry) => entry.data))).not.toMatch(/travel-desk|hangzhou/)
  })

  it('shows a reply’s recorded tool calls in the console’s conversation view, leaving out any that do not read as one', async () => {
    const db = stack().database.db
    const channel = await db.channel.create({ data: { botId, kind: 'wechat_private', externalId: 'tools-test' } })
    const user = await db.endUser.create({ data: { platform: 'wechat', platformId: 'tools-test-user', displayName: 'Wang' } })
    const conversation = await db.conversation.create({
      data: { botId, channelId: channel.id, scopeKey: 'tools-test', endUserId: user.id },
    })
    const call = {
      id: 'c1',
      tool: 'get_order',
      server: 'orders',
      arguments: '{"order_id":"A1024"}',
      status: 'ok',
      result: '已出票',
      ms: 12,
    }
    await db.message.createMany({
      data: [
        { conversationId: conversation.id, channelId: channel.id, role: 'user', text: 'A1024 出票了吗？', status: 'answered' },
        {
          conversationId: conversation.id,
          channelId: channel.id,
          role: 'assistant',
          text: '已出票。',
          status: 'delivered',
          meta: { toolCalls: [call, { id: 'broken', status: 'exploded' }] },
        },
      ],
    })
    const view = await root.ok<{ conversation: { messages: Array<{ role: string; toolCalls?: unknown[] }> } }>(
      'GET',
      `/api/conversations/${conversation.id}`,
    )
    expect(view.conversation.messages.map((m) => [m.role, m.toolCalls])).toEqual([
      ['user', undefined],
      ['assistant', [call]],
    ])
  })

  it('keeps the routes from members of staff who are not admins', async () => {
    await root.ok('POST', '/api/staff', { email: 'ann@example.com', displayName: 'Ann', password: 'agent-password-1', role: 'agent' }, 201)
    const agent = await StaffClient.login(stack().api.url, 'ann@example.com', 'agent-password-1')
    expect((await agent.call('GET', `/api/bots/${botId}/mcp-servers`)).status).toBe(403)
    expect((await agent.call('PATCH', '/api/mcp-servers/x', {})).status).toBe(403)
    expect((await fetch(`${stack().api.url}/api/mcp-servers/x`, { method: 'DELETE' })).status).toBe(401)
  })
})
