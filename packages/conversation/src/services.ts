import type { Logger } from 'pino'
import type { Db } from '@chorus/db'
import { Dispatcher } from '@chorus/pool'
import type { ConversationKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'
import { BotDirectory } from './bot-directory.js'
import { ConversationRepository } from './conversation.repository.js'
import { HandoffService, type ChannelHandoff } from './handoff.js'
import { LiveEvents } from './live-events.js'
import { AgentPresence } from './presence.js'
import { ReplyService } from './reply.js'
import type { ReplyScreen } from './types.js'

/** What every channel's process shares of the conversation package, wired once. */
export interface ConversationServices {
  repo: ConversationRepository
  bots: BotDirectory
  dispatcher: Dispatcher
  replies: ReplyService
  live: LiveEvents
  presence: AgentPresence
  handoff: HandoffService
}

/**
 * The conversation package's services on one database and one Redis connection, as the bot, the
 * API and the workers all use them (each app adds what is its own: ingest, delivery, the pool worker).
 */
export function conversationServices(deps: {
  db: Db
  redis: RedisClient
  keys: ConversationKeys
  logger: Logger
  /** Prompts whose estimated queue wait is longer are refused (`CHORUS_MAX_QUEUE_WAIT_MS`). */
  maxQueueWaitMs: number
  /** Content security for the channels that need it (the mini-program's msg_sec_check). */
  screen?: ReplyScreen
  /** Channels that hand conversations to their own people (WeCom's servicers). */
  channelHandoff?: ChannelHandoff
}): ConversationServices {
  const { db, redis, keys, logger } = deps
  const repo = new ConversationRepository(db)
  const bots = new BotDirectory(repo)
  const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: deps.maxQueueWaitMs, logger })
  const replies = new ReplyService(repo, bots, dispatcher, redis, keys, logger, deps.screen)
  const live = new LiveEvents(redis, keys)
  const presence = new AgentPresence(redis, keys)
  const handoff = new HandoffService({ db, repo, bots, replies, dispatcher, presence, live, channelHandoff: deps.channelHandoff, logger })
  return { repo, bots, dispatcher, replies, live, presence, handoff }
}
