import { pino } from 'pino'
import { Dispatcher } from '@chorus/pool'
import { RateLimiter } from '@chorus/redis'
import { registerLiveReplica } from '../../../test/support/live-replica.js'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { BotDirectory } from './bot-directory.js'
import { ConversationRepository } from './conversation.repository.js'
import { HandoffService } from './handoff.js'
import { IngestService } from './ingest.js'
import { LiveEvents } from './live-events.js'
import { AgentPresence } from './presence.js'
import { ReplyService } from './reply.js'
import type { InboundMessage } from './types.js'

// Real PostgreSQL and Redis: messages stored and decided the way the bot and the API ingest them.
const store = storeFixture()
let repo: ConversationRepository
let dispatcher: Dispatcher
let ingest: IngestService
let botId: string

beforeAll(async () => {
  const { redis, keys, database } = store()
  const logger = pino({ level: 'silent' })
  repo = new ConversationRepository(database.db)
  const bots = new BotDirectory(repo)
  dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: 60_000 })
  const replies = new ReplyService(repo, bots, dispatcher, redis, keys, logger)
  const live = new LiveEvents(redis, keys)
  const presence = new AgentPresence(redis, keys)
  const handoff = new HandoffService({ db: database.db, repo, bots, replies, dispatcher, presence, live, logger })
  const rate = { capacity: 100, perMinute: 100 }
  ingest = new IngestService(
    repo,
    bots,
    dispatcher,
    replies,
    handoff,
    live,
    new RateLimiter(redis, keys),
    {
      maxReplyTokens: 64,
      userRate: rate,
      groupRate: rate,
    },
    logger,
  )
  botId = (await repo.ensureBot('Chorus')).id
  await registerLiveReplica(dispatcher)
})

afterAll(async () => {
  await dispatcher?.close()
})

let counter = 0

/** A private message from a contact of its own. */
function privateMessage(text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  const n = ++counter
  return {
    botId,
    channel: { kind: 'wechat_private', externalId: `wxid_${n}`, title: `Contact ${n}` },
    sender: { platform: 'wechat', platformId: `wxid_${n}`, displayName: `Contact ${n}` },
    platformMessageId: `pm-${n}`,
    text,
    ...extra,
  }
}

describe('ingesting backlog', () => {
  it('stores a message replayed as backlog as history and never answers it', async () => {
    const outcome = await ingest.ingest(privateMessage('when does West Lake open?', { backlog: true }))
    expect(outcome).toMatchObject({ kind: 'ignored', reason: 'backlog' })
    const stored = await store().database.db.message.findUniqueOrThrow({ where: { id: outcome.messageId } })
    expect(stored).toMatchObject({ text: 'when does West Lake open?', status: 'ignored', role: 'user' })
    expect(await store().database.db.message.count({ where: { replyToId: outcome.messageId } })).toBe(0)

    // The same question, not backlog, is answered.
    expect(await ingest.ingest(privateMessage('when does West Lake open?'))).toMatchObject({ kind: 'queued' })
  })

  it('runs no command from the backlog: an old /help gets no notice', async () => {
    const outcome = await ingest.ingest(privateMessage('/help', { backlog: true }))
    expect(outcome).toMatchObject({ kind: 'ignored', reason: 'backlog' })
    expect(await store().database.db.message.count({ where: { conversationId: outcome.conversationId } })).toBe(1)
  })
})

describe('answering /help', () => {
  const helpText = async (outcome: { conversationId: string }) =>
    (await store().database.db.message.findFirstOrThrow({ where: { conversationId: outcome.conversationId, role: 'system' } })).text

  it('tells a private chat to just write, not to @mention the bot', async () => {
    const outcome = await ingest.ingest(privateMessage('/help'))
    expect(outcome).toMatchObject({ kind: 'notice', notice: 'help' })
    const text = await helpText(outcome)
    expect(text).toContain('直接发消息提问即可')
    expect(text).not.toContain('@我')
  })

  it('tells a group to @mention the bot', async () => {
    const n = ++counter
    const outcome = await ingest.ingest({
      ...privateMessage('/help'),
      channel: { kind: 'wechat_group', externalId: `room_${n}@chatroom`, title: `Group ${n}` },
      mentionedBot: true,
    })
    expect(outcome).toMatchObject({ kind: 'notice', notice: 'help' })
    expect(await helpText(outcome)).toContain('在群里 @我 提问即可')
  })
})

describe('ingesting a question for the model', () => {
  it('stores it already queued, in one statement, once its contact and chat are known', async () => {
    const first = privateMessage('hello')
    expect(await ingest.ingest(first)).toMatchObject({ kind: 'queued' })
    const { result: outcome, counts } = await countWork(() =>
      ingest.ingest({ ...first, platformMessageId: `${first.platformMessageId}-again`, text: 'when does West Lake open?' }),
    )
    expect(outcome).toMatchObject({ kind: 'queued' })
    expect(counts.sqlStatements).toBe(1)
    const stored = await store().database.db.message.findUniqueOrThrow({ where: { id: outcome.messageId } })
    expect(stored).toMatchObject({ text: 'when does West Lake open?', status: 'queued' })
  })

  it('leaves it for the person who owns the conversation, never queued', async () => {
    const first = privateMessage('hello')
    const { conversationId } = await ingest.ingest(first)
    await store().database.db.conversation.update({ where: { id: conversationId }, data: { state: 'agent' } })
    const outcome = await ingest.ingest({ ...first, platformMessageId: `${first.platformMessageId}-again`, text: 'are you there?' })
    expect(outcome).toMatchObject({ kind: 'for_person', conversationId })
    const stored = await store().database.db.message.findUniqueOrThrow({ where: { id: outcome.messageId } })
    expect(stored.status).toBe('delivered')
  })
})
