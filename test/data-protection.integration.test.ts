import { sharedStack } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const day = 24 * 3600_000

describe('data protection', () => {
  const stack = sharedStack({ env: admin })

  it('deletes messages older than the bot’s retention period, and nothing else', async () => {
    const { db } = stack().database
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const kept = await db.bot.create({ data: { name: 'Keeps everything' } })
    const short = await db.bot.create({ data: { name: 'Thirty days', settings: { retentionDays: 30 } } })
    const seed = async (botId: string) => {
      const channel = await db.channel.create({ data: { botId, kind: 'wechat_private', externalId: `c-${botId}` } })
      const conversation = await db.conversation.create({ data: { botId, channelId: channel.id, scopeKey: 'u' } })
      const at = (ago: number) => new Date(Date.now() - ago)
      for (const [text, ago] of [
        ['old', 40 * day],
        ['just inside', 29 * day],
        ['new', 0],
      ] as const) {
        await db.message.create({
          data: { conversationId: conversation.id, channelId: channel.id, role: 'user', text, status: 'answered', createdAt: at(ago) },
        })
      }
      return conversation.id
    }
    const keptConversation = await seed(kept.id)
    const shortConversation = await seed(short.id)

    const run = await root.ok<{ deleted: number }>('POST', '/api/retention/run')
    expect(run.deleted).toBe(1)
    const texts = async (conversationId: string) =>
      (await db.message.findMany({ where: { conversationId }, orderBy: { id: 'asc' } })).map((m) => m.text)
    expect(await texts(shortConversation)).toEqual(['just inside', 'new'])
    expect(await texts(keptConversation)).toEqual(['old', 'just inside', 'new'])
    // The conversation itself stays; only messages go.
    expect(await db.conversation.count({ where: { id: shortConversation } })).toBe(1)
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'retention.purge' } })
    expect(audit).toMatchObject({ actorType: 'system', targetId: short.id, data: { days: 30, deleted: 1 } })
  })

  it('erases one user’s messages and conversations on request, leaves everyone else’s, and audits it', async () => {
    const { db } = stack().database
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Quinn', text: 'my phone is 13812345678' })
    await sim.say('Erasure group', { from: 'Quinn', text: '@Chorus my address is 1 Lake Road' })
    await sim.say('Erasure group', { from: 'Rosa', text: '@Chorus hello from Rosa' })
    await sim.waitForBotLines({ contact: 'Quinn' }, 1, 10_000)
    await sim.waitForBotLines({ room: 'Erasure group' }, 2, 10_000)
    const quinn = await db.endUser.findFirstOrThrow({ where: { displayName: 'Quinn' } })

    const erased = await root.ok<{ erased: { messages: number; conversations: number } }>('DELETE', `/api/end-users/${quinn.id}`)
    expect(erased.erased.messages).toBe(4) // two questions, two answers
    expect(await db.endUser.count({ where: { id: quinn.id } })).toBe(0)
    expect(await db.message.count({ where: { text: { contains: '13812345678' } } })).toBe(0)
    expect(await db.message.count({ where: { text: { contains: 'Lake Road' } } })).toBe(0)
    const rosa = await inboundOf(db, { room: 'Erasure group' })
    expect(rosa.map((m) => m.text)).toEqual(['hello from Rosa'])
    expect(rosa[0]!.reply).not.toBeNull()
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'end_user.erase', targetId: quinn.id } })
    expect(audit.data).toEqual({ messages: 4, conversations: 2, trainingPairs: 0, datasetItems: 0, exports: [] })
    expect(JSON.stringify(audit.data)).not.toContain('Quinn')
    expect((await root.call('DELETE', `/api/end-users/${quinn.id}`)).status).toBe(404)
  })
})
