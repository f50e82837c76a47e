import type { Logger } from 'pino'
import type { Prisma } from '@chorus/db'
import { PoolBusy, type Dispatcher } from '@chorus/pool'
import type { RateLimit, RateLimiting } from '@chorus/redis'
import { decideAddressing } from './addressing.js'
import { findBlockedWord, type BotDirectory, type BotProfile } from './bot-directory.js'
import { parseCommand, type Command } from './commands.js'
import { conversationPrompt } from './conversation-prompt.js'
import type { ConversationRepository } from './conversation.repository.js'
import type { HandoffRequest, HandoffService } from './handoff.js'
import { t, type TextKey } from './i18n.js'
import type { LiveEvents } from './live-events.js'
import { promptJobId } from './prompt-job-id.js'
import { busyNotice, type ReplyService } from './reply.js'
import { botMayAnswer } from './state-machine.js'
import type { InboundMessage, IngestOutcome } from './types.js'

export interface IngestSettings {
  maxReplyTokens: number
  /** Prompts one person may ask per minute (burst = capacity). */
  userRate: RateLimit
  /** Prompts one group may ask per minute, all members together. */
  groupRate: RateLimit
}

/** Ingest settings from the environment variables that set them. */
export function ingestSettingsFrom(config: {
  CHORUS_MAX_REPLY_TOKENS: number
  CHORUS_USER_RATE_PER_MIN: number
  CHORUS_GROUP_RATE_PER_MIN: number
}): IngestSettings {
  return {
    maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS,
    userRate: { capacity: config.CHORUS_USER_RATE_PER_MIN, perMinute: config.CHORUS_USER_RATE_PER_MIN },
    groupRate: { capacity: config.CHORUS_GROUP_RATE_PER_MIN, perMinute: config.CHORUS_GROUP_RATE_PER_MIN },
  }
}

// Larger pictures are not sent to the model (about 6 MB once base64-encoded).
const maxImageChars = 8_000_000

// At most one busy notice per person this often, however short the wait it announces: in a
// flood a group's bucket refills every second, and a notice per refill would flood the group.
const busyNoticeWindowMs = 60_000

interface Stored {
  messageId: bigint
  conversationId: string
  state: 'bot' | 'waiting' | 'agent' | 'resolved'
  /** As stored: `queued` when it went to the model's queue with the store itself. */
  status: string
  userId: string
  channelId: string
}

/**
 * Records inbound messages and decides what happens to each: nothing (not addressed, or an old
 * message a channel replays as backlog), a command, a notice from Chorus (media it cannot read,
 * a blocked word, a rate limit), or a prompt for the pool. A message is stored before anything
 * else happens; a re-delivered message is never answered twice.
 */
export class IngestService {
  private readonly ids = new Map<string, string>()

  constructor(
    private readonly repo: ConversationRepository,
    private readonly bots: BotDirectory,
    private readonly dispatcher: Dispatcher,
    private readonly replies: ReplyService,
    private readonly handoff: HandoffService,
    private readonly live: LiveEvents,
    private readonly limiter: RateLimiting,
    private readonly settings: IngestSettings,
    private readonly logger: Logger,
  ) {}

  async ingest(input: InboundMessage): Promise<IngestOutcome> {
    const bot = await this.bots.get(input.botId)
    const group = input.channel.kind === 'wechat_group'
    const addressing = decideAddressing(bot.settings, {
      group: group ? { id: input.channel.externalId, name: input.channel.title ?? '' } : undefined,
      sender: { id: input.sender.platformId, name: input.sender.displayName },
      text: input.text,
      mentionedBot: input.mentionedBot ?? false,
      quotedBot: input.quotedBot ?? false,
    })
    // Prompts are built from stored messages: store the question without its trigger prefix.
    const rating = addressing.answer && !input.backlog ? parseRating(addressing.text) : undefined
    // A question for the model is stored `queued` (while the conversation is the bot's): the
    // checks below that do not depend on the conversation, made in advance.
    const forModel =
      !input.backlog &&
      rating === undefined &&
      input.screening?.verdict !== 'risky' &&
      bot.enabled &&
      addressing.answer &&
      (input.kind ?? 'text') === 'text' &&
      !parseCommand(addressing.text) &&
      !findBlockedWord(bot.settings, addressing.text) &&
      !asksForPerson(bot, addressing.text)
    const stored = await this.store(addressing.answer && addressing.text ? { ...input, text: addressing.text } : input, bot, {
      maybeRating: rating !== undefined,
      forModel,
    })
    const outcome = { messageId: stored.messageId, conversationId: stored.conversationId }
    const log = this.logger.child({ conversationId: stored.conversationId, messageId: String(stored.messageId) })
    if ('duplicate' in stored) {
      log.info('duplicate inbound message ignored')
      return { kind: 'duplicate', ...outcome }
    }
    // Told to the consoles without holding the message up.
    this.live
      .publish({ type: 'message', conversationId: stored.conversationId, id: String(stored.messageId), role: 'user', botId: input.botId })
      .catch((error: unknown) => log.warn({ err: error }, 'new message not announced live'))
    // Replayed after a reconnect: kept as history (for the person, if one has the conversation), never answered.
    if (input.backlog) return botMayAnswer(stored.state) ? this.ignore(stored, 'backlog', log) : this.forPerson(stored, log)
    if (stored.state === 'resolved' && rating !== undefined) {
      // The answer to the satisfaction question asked when the conversation was resolved.
      await this.handoff.rate(stored.conversationId, rating)
      return this.notice(input, stored, t('ratingThanks', bot.settings.language), 'rating')
    }
    if (input.screening?.verdict === 'risky') {
      log.info({ label: input.screening.label }, 'refused by the content check')
      return this.notice(input, stored, t('refused', bot.settings.language), 'content_check', 'refused')
    }
    // A person owns or awaits the conversation: every message of it is theirs (no @mention
    // needed), the bot stays silent; commands still work.
    if (!botMayAnswer(stored.state) && !(addressing.answer && parseCommand(addressing.text))) return this.forPerson(stored, log)
    const reason = !bot.enabled ? 'bot disabled' : !addressing.answer ? addressing.reason : undefined
    if (reason) return this.ignore(stored, reason, log)

    const language = bot.settings.language
    const notice = (key: TextKey, status: 'ignored' | 'refused' = 'ignored') => this.notice(input, stored, t(key, language), key, status)
    const kind = input.kind ?? 'text'
    if (kind !== 'text') {
      const policy = kind === 'image' ? bot.settings.media.images : bot.settings.media.other
      if (policy === 'ignore') return this.ignore(stored, `${kind} ignored`, log)
      const image = policy === 'vision' ? await this.loadImage(input, log) : undefined
      if (!image) return notice(kind === 'image' ? 'imageUnsupported' : 'mediaUnsupported')
      // The picture goes into the prompt of a vision-capable model, like a question.
      await this.repo.attachImage(stored.messageId, image)
    }
    const text = addressing.answer ? addressing.text : input.text
    const command = kind === 'text' ? parseCommand(text) : undefined
    if (command) return this.command(command, input, stored, bot)
    if (!botMayAnswer(stored.state)) return this.forPerson(stored, log)
    if (findBlockedWord(bot.settings, text)) return notice('refused', 'refused')
    if (asksForPerson(bot, text)) return this.command('human', input, stored, bot)

    const limited = await this.rateLimited(stored.userId, group ? stored.channelId : undefined)
    if (limited) {
      // One honest notice per person and window; further messages in it are stored, not answered.
      const retryAfterSeconds = Math.max(1, Math.ceil(limited / 1000))
      if (await this.limiter.firstInWindow(`notice:${stored.userId}`, Math.max(limited, busyNoticeWindowMs))) {
        await this.replies.recordNotice(this.target(input, stored), busyNotice(retryAfterSeconds), 'rate_limited', 'refused')
      } else {
        await this.repo.setStatus(stored.messageId, 'refused')
      }
      log.info({ retryAfterSeconds }, 'rate limited')
      return { kind: 'busy', ...outcome, retryAfterSeconds }
    }
    return this.queue(input, stored, bot, log)
  }

  /**
   * Stores the message (and finds or creates its channel, sender and conversation). A possible
   * rating goes to the conversation just resolved that asked for one, if nothing newer is open.
   * `forModel`: stored `queued` if its conversation is the bot's.
   */
  private async store(
    input: InboundMessage,
    bot: BotProfile,
    options: { maybeRating: boolean; forModel: boolean },
  ): Promise<Stored | (Stored & { duplicate: true })> {
    const channelId = await this.cached(`c:${input.botId}:${input.channel.kind}:${input.channel.externalId}`, async () => {
      const channel = await this.repo.ensureChannel(input.botId, input.channel.kind, input.channel.externalId, input.channel.title ?? '')
      return channel.id
    })
    const userId = await this.cached(`u:${input.sender.platform}:${input.sender.platformId}`, async () => {
      const user = await this.repo.ensureEndUser(input.sender.platform, input.sender.platformId, input.sender.displayName)
      return user.id
    })
    const shared = input.channel.kind === 'wechat_group' && bot.settings.sessionScope === 'group'
    const scopeKey = shared ? '*' : userId
    const surveyed = options.maybeRating ? await this.repo.awaitingRating(channelId, scopeKey) : null
    const inserted = await this.repo.storeInbound({
      botId: input.botId,
      channelId,
      scopeKey,
      endUserId: shared ? null : userId,
      ...(surveyed ? { conversationId: surveyed.id } : {}),
      authorUserId: userId,
      platformMessageId: input.platformMessageId,
      text: input.text,
      meta: {
        kind: input.kind ?? 'text',
        ...(input.quotedBot ? { quotedBot: true } : {}),
        ...(input.screening ? { screening: { ...input.screening } } : {}),
        ...input.meta,
      } as Prisma.InputJsonValue,
      queue: options.forModel,
    })
    const stored: Stored = {
      messageId: inserted.id,
      conversationId: inserted.conversationId,
      state: inserted.state,
      status: inserted.status,
      userId,
      channelId,
    }
    // A re-delivery of a message we stored but never got to handle (a crash in between) goes on.
    return inserted.duplicate && inserted.status !== 'received' ? { ...stored, duplicate: true } : stored
  }

  private async loadImage(input: InboundMessage, log: Logger): Promise<string | undefined> {
    try {
      const url = await input.loadImage?.()
      return url && url.length <= maxImageChars ? url : undefined
    } catch (error) {
      log.warn({ err: error }, 'could not fetch the image')
      return undefined
    }
  }

  private async ignore(stored: Stored, reason: string, log: Logger): Promise<IngestOutcome> {
    await this.repo.setStatus(stored.messageId, 'ignored')
    log.debug({ reason }, 'not answering')
    return { kind: 'ignored', messageId: stored.messageId, conversationId: stored.conversationId, reason }
  }

  /** The message waits for the person who owns (or will own) the conversation. */
  private async forPerson(stored: Stored, log: Logger): Promise<IngestOutcome> {
    await this.repo.setStatus(stored.messageId, 'delivered')
    log.debug({ state: stored.state }, 'message for a person')
    return { kind: 'for_person', messageId: stored.messageId, conversationId: stored.conversationId }
  }

  private target(input: InboundMessage, stored: Stored) {
    return { conversationId: stored.conversationId, channelKind: input.channel.kind, botId: input.botId, replyToId: stored.messageId }
  }

  /** Answers with a short text from Chorus itself; the message stays out of prompts. */
  private async notice(
    input: InboundMessage,
    stored: Stored,
    text: string,
    notice: string,
    status: 'ignored' | 'refused' = 'ignored',
  ): Promise<IngestOutcome> {
    await this.replies.recordNotice(this.target(input, stored), text, notice, status)
    return { kind: 'notice', messageId: stored.messageId, conversationId: stored.conversationId, notice }
  }

  private async command(command: Command, input: InboundMessage, stored: Stored, bot: BotProfile): Promise<IngestOutcome> {
    const language = bot.settings.language
    const say = (key: TextKey, values?: Record<string, string | number>) => this.notice(input, stored, t(key, language, values), command)
    switch (command) {
      case 'help':
        return say(input.channel.kind === 'wechat_group' ? 'helpGroup' : 'helpPrivate', { bot: bot.name })
      case 'reset':
        await this.repo.resetContext(stored.conversationId)
        return say('reset')
      case 'human': {
        const request = await this.handoff.request(stored.conversationId, { type: 'user', id: stored.userId, reason: 'asked for a person' })
        // The channel's own people have it now, and tell the user themselves.
        if (request.kind === 'channel') return this.forPerson(stored, this.logger)
        const outcome = await say(...handoffText(request))
        // Assigned after the user was told they are waiting, so "X is here to help" comes second.
        if (request.kind === 'waiting') await this.handoff.assign(stored.conversationId)
        return outcome
      }
      case 'status': {
        if (stored.state === 'agent') return say('statusAgent')
        if (stored.state === 'waiting') return say('humanAlready')
        const mine = await this.repo.countQueued(stored.conversationId)
        if (mine === 0) return say('statusIdle')
        const replicas = await this.dispatcher.candidates('')
        const waiting = replicas.reduce((n, r) => n + Math.max(0, r.load - r.capacity), 0)
        return say('statusQueued', { n: waiting })
      }
    }
  }

  private async queue(input: InboundMessage, stored: Stored, bot: BotProfile, log: Logger): Promise<IngestOutcome> {
    const jobId = promptJobId(stored.messageId)
    // Queued first (most questions when they were stored): the job may start (and look for
    // queued messages) before dispatch returns.
    if (stored.status !== 'queued') await this.repo.setStatus(stored.messageId, 'queued')
    try {
      const question = { ...stored, channelKind: input.channel.kind, botId: input.botId }
      await this.dispatcher.dispatch(jobId, conversationPrompt(question, { maxTokens: this.settings.maxReplyTokens, model: bot.model }))
    } catch (error) {
      if (error instanceof PoolBusy) {
        await this.replies.recordNotice(this.target(input, stored), busyNotice(error.retryAfterSeconds), 'busy', 'refused')
        log.warn({ retryAfterSeconds: error.retryAfterSeconds }, 'pool busy: prompt refused')
        return {
          kind: 'busy',
          messageId: stored.messageId,
          conversationId: stored.conversationId,
          retryAfterSeconds: error.retryAfterSeconds,
        }
      }
      await this.repo.setStatus(stored.messageId, 'received')
      throw error
    }
    log.info({ jobId }, 'prompt queued')
    return { kind: 'queued', messageId: stored.messageId, conversationId: stored.conversationId, jobId }
  }

  /** Ms until the user (and the group) may ask again, or 0 when within their rates. */
  private async rateLimited(userId: string, channelId: string | undefined): Promise<number> {
    const user = await this.limiter.take(`user:${userId}`, this.settings.userRate)
    if (!user.allowed) return user.retryAfterMs
    if (!channelId) return 0
    const group = await this.limiter.take(`channel:${channelId}`, this.settings.groupRate)
    return group.allowed ? 0 : group.retryAfterMs
  }

  private async cached(key: string, load: () => Promise<string>): Promise<string> {
    const hit = this.ids.get(key)
    if (hit) return hit
    const value = await load()
    if (this.ids.size > 50_000) this.ids.clear()
    this.ids.set(key, value)
    return value
  }
}

/** Whether `text` has one of the bot's words that hand a conversation to a person. */
function asksForPerson(bot: BotProfile, text: string): boolean {
  const lower = text.toLowerCase()
  return bot.settings.handoff.keywords.some((k) => lower.includes(k.toLowerCase()))
}

/** A bare 1–5, as typed to answer the satisfaction question. */
function parseRating(text: string): number | undefined {
  const match = /^\s*([1-5])\s*(分|星)?\s*$/.exec(text)
  return match ? Number(match[1]) : undefined
}

/** What the user is told about their request for a person. */
export function handoffText(request: Exclude<HandoffRequest, { kind: 'channel' }>): [TextKey, Record<string, string>?] {
  switch (request.kind) {
    case 'waiting':
      return ['human']
    case 'already':
      return [request.state === 'agent' ? 'statusAgent' : 'humanAlready']
    case 'closed':
      return ['handoffClosed', { hours: request.hours }]
    case 'no_agents':
      return ['handoffNoAgents']
  }
}
