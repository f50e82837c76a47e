import type { Prisma } from '@chorus/db'
import type { RecordedToolCall, SimulatorMessage } from '@chorus/protocol'
import { McpConnections } from '@chorus/tools'
import { startTestMcpServer, type TestMcpServer } from '@chorus/tools/testing'
import { StaffClient } from './support/staff-client.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

// A WeChat group whose bot calls a travel agency's MCP server (made with the official SDK), on
// the inference simulator's tool-call rule (docs/inference-simulator.md): a tool is called when
// the question holds a word its description quotes in 「」.
let stack: TestStack
let mcp: TestMcpServer
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

beforeAll(async () => {
  mcp = await startTestMcpServer({ slowMs: 10_000, requiredAuthorization: 'Bearer travel-secret' })
  stack = await startTestStack({
    env: { CHORUS_MCP_TRAVEL_TOKEN: 'travel-secret', ...admin },
    botSettings: {
      outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 },
      reply: { partDelayMs: 0 },
      tools: { timeoutMs: 1000, builtins: { handoff: true } },
    },
  })
  const bot = await stack.database.db.bot.findFirstOrThrow()
  const address = { id: 'travel', url: mcp.url, transport: 'streamable_http' as const, updatedAt: new Date() }
  const headers = { Authorization: 'Bearer ${CHORUS_MCP_TRAVEL_TOKEN}' }
  const connections = new McpConnections({ CHORUS_MCP_TRAVEL_TOKEN: 'travel-secret' })
  const tools = await connections.listTools({ ...address, headers })
  await connections.close()
  await stack.database.db.mcpServer.create({
    data: {
      botId: bot.id,
      name: 'travel',
      url: mcp.url,
      headers,
      tools: tools as Prisma.InputJsonValue,
      allowed: {
        get_order: { confirm: false },
        cancel_order: { confirm: true },
        slow_report: { confirm: false },
        broken_report: { confirm: false },
      },
    },
  })
})

afterAll(async () => {
  await stack?.stop()
  await mcp?.close()
})

async function say(room: string, from: string, text: string): Promise<string> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ room, from, text }),
  })
  expect(res.status).toBe(202)
  return ((await res.json()) as { id: string }).id
}

/** The bot's reply in `room` after message `after`. */
async function replyIn(room: string, after: string): Promise<string> {
  const line = await waitFor(
    async () => {
      const res = await fetch(`${stack.api.url}/api/simulator/messages?room=${encodeURIComponent(room)}&after=${after}`)
      return ((await res.json()) as SimulatorMessage[]).find((l) => l.self)
    },
    15_000,
    `the bot's reply in ${room}`,
  )
  return line.text
}

/** The tool calls kept with the last reply in `room`. */
async function lastCalls(room: string): Promise<RecordedToolCall[]> {
  const reply = await stack.database.db.message.findFirstOrThrow({
    where: { channel: { title: room }, role: { in: ['assistant', 'system'] } },
    orderBy: { id: 'desc' },
  })
  return ((reply.meta as { toolCalls?: RecordedToolCall[] }).toolCalls ?? []) as RecordedToolCall[]
}

describe('a bot that calls its company’s tools', () => {
  it('answers a group question from the tool’s result, the call kept with the reply and in the audit log', async () => {
    const reply = await replyIn('Orders', await say('Orders', 'Alice', '@Chorus 帮我查一下订单 A1024 的状态'))

    expect(reply).toContain('@Alice')
    expect(reply).toContain('西湖一日游')
    expect(mcp.calls).toContainEqual({ tool: 'get_order', arguments: { order_id: 'A1024' }, authorization: 'Bearer travel-secret' })
    expect(await lastCalls('Orders')).toEqual([
      expect.objectContaining({ tool: 'get_order', server: 'travel', status: 'ok', arguments: '{"order_id":"A1024"}' }),
    ])
    // An agent sees the call under the reply; the audit log names the bot that made it.
    const staff = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const conversation = await stack.database.db.conversation.findFirstOrThrow({ where: { channel: { title: 'Orders' } } })
    const view = await staff.ok<{ conversation: { messages: Array<{ role: string; toolCalls?: RecordedToolCall[] }> } }>(
      'GET',
      `/api/conversations/${conversation.id}`,
    )
    expect(view.conversation.messages.map((m) => [m.role, m.toolCalls?.map((c) => c.tool)])).toEqual([
      ['user', undefined],
      ['assistant', ['get_order']],
    ])
    const audit = await staff.ok<{ entries: Array<{ actor: { type: string; name: string | null }; data: unknown; target: unknown }> }>(
      'GET',
      '/api/audit?action=tool.call',
    )
    expect(audit.entries).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'bot', name: 'Chorus' }),
        target: { type: 'conversation', id: conversation.id },
        data: expect.objectContaining({ tool: 'get_order', server: 'travel', status: 'ok' }),
      }),
    ])
  })

  it('tells the user honestly when the tool is too slow', async () => {
    const reply = await replyIn('Reports', await say('Reports', 'Bob', '@Chorus 给我生成上个月的报表'))

    expect(reply).toContain('slow_report 没能给出结果')
    expect(await lastCalls('Reports')).toEqual([expect.objectContaining({ tool: 'slow_report', status: 'timeout' })])
  })

  it('tells the user honestly when the tool fails', async () => {
    const reply = await replyIn('Stats', await say('Stats', 'Carol', '@Chorus 看看本周的统计'))

    expect(reply).toContain('broken_report 没能给出结果')
    expect(reply).toContain('unreachable')
    expect(await lastCalls('Stats')).toEqual([expect.objectContaining({ tool: 'broken_report', status: 'error' })])
  })

  it('asks before a tool that needs confirmation, and runs it only after the user’s yes', async () => {
    const asked = await replyIn('Cancel', await say('Cancel', 'Dan', '@Chorus 请帮我取消 B2048'))
    expect(asked).toContain('cancel_order')
    expect(asked).toContain('B2048')
    expect(asked).toContain('回复“是”')
    expect(mcp.calls.filter((call) => call.tool === 'cancel_order')).toHaveLength(0)
    expect(await lastCalls('Cancel')).toEqual([expect.objectContaining({ tool: 'cancel_order', status: 'awaiting_confirmation' })])

    // Another member's yes confirms nothing.
    await replyIn('Cancel', await say('Cancel', 'Eve', '@Chorus 是'))
    expect(mcp.calls.filter((call) => call.tool === 'cancel_order')).toHaveLength(0)

    const done = await replyIn('Cancel', await say('Cancel', 'Dan', '@Chorus 是的'))
    expect(done).toContain('已取消')
    expect(mcp.calls.filter((call) => call.tool === 'cancel_order')).toEqual([
      { tool: 'cancel_order', arguments: { order_id: 'B2048' }, authorization: 'Bearer travel-secret' },
    ])
    expect(await lastCalls('Cancel')).toEqual([expect.objectContaining({ tool: 'cancel_order', status: 'ok' })])
  })

  it('leaves the call unrun when the user says anything but yes', async () => {
    await replyIn('Keep', await say('Keep', 'Frank', '@Chorus 取消 A1024 吧'))
    await replyIn('Keep', await say('Keep', 'Frank', '@Chorus 算了，不用了'))

    expect(mcp.calls.filter((call) => call.tool === 'cancel_order' && call.arguments.order_id === 'A1024')).toHaveLength(0)
    expect(await lastCalls('Keep')).toContainEqual(expect.objectContaining({ tool: 'cancel_order', status: 'declined' }))
  })

  it('calls the same tools in the panel’s test chat, and shows the calls with the answer', async () => {
    const staff = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const bot = await stack.database.db.bot.findFirstOrThrow()

    const answer = await staff.ok<{ reply: string; toolCalls?: RecordedToolCall[] }>('POST', `/api/bots/${bot.id}/test-chat`, {
      messages: [{ role: 'user', content: '订单 B2048 什么时候出发？' }],
    })

    expect(answer.reply).toContain('千岛湖')
    expect(answer.toolCalls).toEqual([expect.objectContaining({ tool: 'get_order', server: 'travel', status: 'ok' })])
    const audit = await stack.database.db.auditLog.findFirstOrThrow({ where: { action: 'tool.call', targetType: 'bot' } })
    expect(audit).toMatchObject({ targetId: bot.id, data: expect.objectContaining({ tool: 'get_order', testChat: true }) })
  })

  it('offers the built-in handoff tool, which tells the model when nobody can come', async () => {
    const reply = await replyIn('Help', await say('Help', 'Gina', '@Chorus please handoff to human'))

    expect(reply).toContain('handoff_to_human')
    expect(await lastCalls('Help')).toEqual([expect.objectContaining({ tool: 'handoff_to_human', server: 'builtin', status: 'ok' })])
    const conversation = await stack.database.db.conversation.findFirstOrThrow({ where: { channel: { title: 'Help' } } })
    expect(conversation.state).toBe('bot')
  })
})

describe('a bot whose model hands the conversation over', () => {
  it('tells the user a person is coming, then the person is assigned', async () => {
    const staff = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const me = await staff.ok<{ displayName: string }>('GET', '/api/me')
    await staff.goOnline()
    try {
      const asked = await say('Person', 'Hana', '@Chorus please handoff to human')
      const told = await replyIn('Person', asked)
      expect(told).toContain('已为你转接人工客服')
      const conversation = await waitFor(
        async () => {
          const found = await stack.database.db.conversation.findFirst({ where: { channel: { title: 'Person' }, state: 'agent' } })
          return found ?? undefined
        },
        10_000,
        'the conversation assigned',
      )
      expect(conversation.state).toBe('agent')
      // Then the person's greeting, "人工客服 <name> 为你服务".
      await waitFor(
        async () => {
          const res = await fetch(`${stack.api.url}/api/simulator/messages?room=Person&after=${asked}`)
          return ((await res.json()) as SimulatorMessage[]).find((l) => l.self && l.text.includes(me.displayName))
        },
        10_000,
        'the person’s greeting',
      )
      const reply = await stack.database.db.message.findFirstOrThrow({
        where: { channel: { title: 'Person' }, role: 'system' },
        orderBy: { id: 'asc' },
      })
      expect((reply.meta as { toolCalls?: RecordedToolCall[] }).toolCalls).toEqual([
        expect.objectContaining({ tool: 'handoff_to_human', status: 'ok' }),
      ])
    } finally {
      staff.goOffline()
    }
  })
})
