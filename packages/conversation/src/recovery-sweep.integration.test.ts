import { pino } from 'pino'
import { Dispatcher, lanes, replicaQueueName, unroutedQueueName } from '@chorus/pool'
import { promptJob, type PromptJobInput } from '@chorus/protocol'
import { ensureConsumerGroup } from '@chorus/redis'
import { registerLiveReplica } from '../../../test/support/live-replica.js'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { BotDirectory } from './bot-directory.js'
import { ConversationRepository } from './conversation.repository.js'
import { announceOnOutbox } from './outbox-entry.js'
import { promptJobId } from './prompt-job-id.js'
import { RecoverySweep } from './recovery-sweep.js'

// Real PostgreSQL and Redis: what the sweep finds is what a Redis restart (or a crash between
// storing a question and queuing it) leaves behind.
const store = storeFixture()
let repo: ConversationRepository
let dispatcher: Dispatcher
let sweep: RecoverySweep

beforeAll(async () => {
  const { redis, keys, database } = store()
  repo = new ConversationRepository(database.db)
  dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: 60_000 })
  // Everything counts as stale at once.
  sweep = new RecoverySweep(
    { repo, bots: new BotDirectory(repo), dispatcher, redis, keys, logger: pino({ level: 'silent' }), maxReplyTokens: 64 },
    { staleAfterMs: 0 },
  )
  await registerLiveReplica(dispatcher)
})

afterAll(async () => {
  await dispatcher?.close()
})

let counter = 0

/** A question stored in a group conversation of its own, with status `status`. */
async function storedQuestion(status: 'queued' | 'answered', botName = 'Chorus') {
  const n = ++counter
  const bot = await repo.ensureBot(botName)
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', `room-${n}@chatroom`, `Room ${n}`)
  const user = await repo.ensureEndUser('wechat', `wxid_${n}`, `Member ${n}`)
  const message = await repo.storeInbound({
    botId: bot.id,
    channelId: channel.id,
    scopeKey: user.id,
    endUserId: user.id,
    authorUserId: user.id,
    platformMessageId: `pm-${n}`,
    text: `question ${n}`,
    meta: {},
  })
  await repo.setStatus(message.id, status)
  return { messageId: message.id, conversationId: message.conversationId, botId: bot.id }
}

/** The pool job answering a stored question. */
function promptFor(question: { messageId: bigint; conversationId: string; botId: string }): PromptJobInput {
  return {
    origin: {
      kind: 'conversation',
      conversationId: question.conversationId,
      messageId: String(question.messageId),
      channelKind: 'wechat_group',
      botId: question.botId,
    },
    maxTokens: 64,
    enqueuedAt: Date.now(),
    routing: { conversationKey: question.conversationId, priorityClass: 'group_chat' },
  }
}

describe('the recovery sweep', () => {
  it('queues again a question the pool lost, once, and leaves one the pool still holds alone', async () => {
    const lost = await storedQuestion('queued')
    const held = await storedQuestion('queued')
    await dispatcher.dispatch(promptJobId(held.messageId), promptFor(held))

    expect(await sweep.sweep()).toEqual({ requeued: 1, reannounced: 0 })
    expect(await dispatcher.hasPrompt(lost.conversationId)).toBe(true)
    // The prompt it queued answers the lost question, on that question's reply stream (`m-<id>`).
    const jobs = (
      await Promise.all(lanes.map((lane) => dispatcher.queue(replicaQueueName('r1', lane)).getJobs(['prioritized', 'waiting'])))
    ).flat()
    const requeued = jobs.find((j) => j.data.origin.kind === 'conversation' && j.data.origin.conversationId === lost.conversationId)
    expect(requeued?.id).toMatch(new RegExp(`^m-${lost.messageId}~\\d+$`))
    // Now the pool holds it: the next sweep has nothing to do.
    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 0 })
  })

  it('leaves alone a question whose retry waits unrouted', async () => {
    const waiting = await storedQuestion('queued')
    // A retry (`m-<id>~1`) put aside while no replica served its model.
    await dispatcher
      .queue(unroutedQueueName)
      .add('prompt', promptJob.parse(promptFor(waiting)), { jobId: `${promptJobId(waiting.messageId)}~1` })
    expect(await dispatcher.hasPrompt(waiting.conversationId)).toBe(true)
    expect((await sweep.sweep()).requeued).toBe(0)
  })

  it('announces a reply that was never delivered on its outbox again, at most once a minute', async () => {
    const { redis, keys } = store()
    const question = await storedQuestion('answered')
    const reply = await repo.insertReply(
      { conversationId: question.conversationId, replyToId: question.messageId, text: 'the answer', promptTokens: 1, completionTokens: 1 },
      { role: 'assistant' },
    )
    const outbox = keys.outbox(`wechat:${question.botId}`)
    const before = await redis.xlen(outbox)

    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 1 })
    const entries = await redis.xrange(outbox, '-', '+')
    expect(entries).toHaveLength(before + 1)
    expect(entries.at(-1)![1]).toEqual(['reply', String(reply.id)])
    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 0 })
  })

  it('leaves alone a reply its outbox still holds, unread or read and not acknowledged, and announces it again once lost', async () => {
    const { redis, keys } = store()
    // A bot of its own: an outbox no other test writes to.
    const question = await storedQuestion('answered', 'Paced')
    const reply = await repo.insertReply(
      { conversationId: question.conversationId, replyToId: question.messageId, text: 'the answer', promptTokens: 1, completionTokens: 1 },
      { role: 'assistant' },
    )
    const outbox = keys.outbox(`wechat:${question.botId}`)
    await announceOnOutbox(redis, keys, { channelKind: 'wechat_group', botId: question.botId }, reply.id!)
    // Not read yet (the bot is starting, or busy with the chat's earlier replies).
    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 0 })
    // Read, and waiting for its chat's turn behind the bot's pacing.
    await ensureConsumerGroup(redis, outbox, 'delivery', '0')
    await redis.xreadgroup('GROUP', 'delivery', 'wechat-bot', 'COUNT', 100, 'STREAMS', outbox, '>')
    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 0 })
    expect(await redis.xlen(outbox)).toBe(1)
    // Lost with Redis: announced again.
    await redis.del(outbox)
    expect(await sweep.sweep()).toEqual({ requeued: 0, reannounced: 1 })
    expect((await redis.xrange(outbox, '-', '+')).map(([, fields]) => fields)).toEqual([['reply', String(reply.id)]])
  })

  it('lets one process sweep at a time', async () => {
    await storedQuestion('queued')
    const results = await Promise.all([sweep.sweep(), sweep.sweep()])
    expect(results.map((r) => r.requeued).sort()).toEqual([0, 1])
  })
})
