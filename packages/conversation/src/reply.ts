import type { Logger } from 'pino'
import type { ChannelKind } from '@chorus/db'
import type { OutboxRoute, PromptJob } from '@chorus/protocol'
import type { ConversationKeys } from './keys.js'
import type { ConversationPrompt } from './prepare.js'
import type { RedisClient } from '@chorus/redis'
import { findBlockedWord, type BotDirectory } from './bot-directory.js'
import type { ConversationRepository } from './conversation.repository.js'
import { t } from './i18n.js'
import { liveEventMessage, type LiveEvent } from './live-events.js'
import { outboxEntry } from './outbox-entry.js'
import type { ReplyScreen } from './types.js'

export const failureNotice = '抱歉，我暂时无法回答，请稍后再试。(Sorry, I cannot answer right now; please try again later.)'

export function busyNotice(retryAfterSeconds: number): string {
  return `现在提问的人较多，请 ${retryAfterSeconds} 秒后再试。(I am busy right now; please try again in ${retryAfterSeconds} s.)`
}

interface ReplyTarget {
  conversationId: string
  channelKind: ChannelKind
  botId: string
  /** The inbound message answered. */
  replyToId: bigint
}

/** Stores finished replies (once) and tells the channel's delivery process about them. */
export class ReplyService {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly bots: BotDirectory,
    private readonly redis: RedisClient,
    private readonly keys: ConversationKeys,
    private readonly logger: Logger,
    /** Content security for channels that need it (the mini-program's msg_sec_check). */
    private readonly screen?: ReplyScreen,
  ) {}

  /**
   * Sends a message that answers no particular inbound message: an agent's reply (signed with
   * their name on delivery) or a notice from Chorus about the conversation (a person joined, the
   * bot is back). Stored first, then announced to the channel's outbox.
   */
  async announce(
    target: { conversationId: string; channelKind: ChannelKind; botId: string },
    text: string,
    author: { role: 'system'; notice: string } | { role: 'agent'; staffId: string },
  ): Promise<{ id: bigint; createdAt: Date }> {
    const message = await this.repo.insertOutbound({
      conversationId: target.conversationId,
      role: author.role,
      text,
      ...(author.role === 'agent' ? { authorStaffId: author.staffId } : { meta: { notice: author.notice } }),
    })
    await this.announceReply(target, message.id, undefined, {
      type: 'message',
      conversationId: target.conversationId,
      id: String(message.id),
      role: author.role,
      botId: target.botId,
    })
    return message
  }

  /**
   * Stores the model's reply (once). A grounded reply gets its sources cited at the end, returned
   * as `appended` so the stream carries exactly what is stored; a reply the knowledge base could
   * not support is marked low-confidence (a signal for handing over to a person).
   */
  async recordReply(
    job: PromptJob,
    prepared: ConversationPrompt,
    result: { text: string; promptTokens: number; completionTokens: number; cited?: string[] },
  ): Promise<{ appended?: string }> {
    const replyTo = prepared.context?.replyTo
    if (job.origin.kind !== 'conversation' || !replyTo) return {}
    const target = { ...job.origin, replyToId: BigInt(replyTo) }
    const bot = await this.bots.get(job.origin.botId)
    const language = bot.settings.language
    if (findBlockedWord(bot.settings, result.text)) {
      // The model said something the company does not want said: a polite refusal instead.
      this.logger.warn({ conversationId: target.conversationId }, 'model output blocked by the word filter')
      await this.store(target, { ...result, text: t('refused', language) }, { notice: 'output_blocked' })
      return {}
    }
    const screening = this.screen ? await this.screen(target, result.text) : null
    if (screening?.verdict === 'risky') {
      this.logger.warn({ conversationId: target.conversationId, label: screening.label }, 'model output refused by the content check')
      await this.store(target, { ...result, text: t('refused', language) }, { notice: 'output_refused', label: String(screening.label) })
      return {}
    }
    const titles = [...new Set(result.cited ?? (prepared.engine?.sources ?? []).map((s) => s.document))].slice(0, 3)
    const appended = titles.length > 0 ? `\n\n${t('sourcesLabel', language)}${titles.map((title) => `《${title}》`).join('')}` : ''
    const meta: Record<string, string> = {
      ...(screening?.verdict === 'review' ? { review: String(screening.label) } : {}),
      ...(titles.length > 0 ? { sources: titles.join('\n') } : {}),
      ...(prepared.context?.confident === false ? { confidence: 'low' } : {}),
    }
    const { cited: _cited, ...reply } = result
    await this.store(target, { ...reply, text: result.text + appended }, meta, 'model')
    return appended ? { appended } : {}
  }

  /** Answers a prompt the model could not answer with one clear notice, delivered like a reply. */
  async recordFailure(job: PromptJob, prepared: ConversationPrompt | null, error: Error): Promise<void> {
    if (job.origin.kind !== 'conversation') return
    const replyToId = BigInt(prepared?.context?.replyTo ?? job.origin.messageId)
    this.logger.warn({ conversationId: job.origin.conversationId, messageId: String(replyToId), err: error.message }, 'prompt failed')
    await this.store(
      { ...job.origin, replyToId },
      { text: failureNotice, promptTokens: 0, completionTokens: 0 },
      { notice: 'failure' },
      'chorus',
      'failed',
    )
  }

  /** Answers a message with a short notice from Chorus itself (busy, refused, …); the message gets `inboundStatus`. */
  async recordNotice(target: ReplyTarget, text: string, notice: string, inboundStatus: 'ignored' | 'refused'): Promise<void> {
    await this.store(target, { text, promptTokens: 0, completionTokens: 0 }, { notice }, 'chorus', inboundStatus)
  }

  /**
   * Puts reply `replyId` on its channel's outbox and, given `event`, tells the consoles live, in
   * one round trip: a pipeline whose only key is the outbox's (PUBLISH has none).
   */
  private async announceReply(
    target: { channelKind: ChannelKind; botId: string },
    replyId: bigint,
    route: OutboxRoute | undefined,
    event: LiveEvent | undefined,
  ): Promise<void> {
    const entry = outboxEntry(this.keys, target, replyId, route)
    const batch = this.redis.pipeline().xadd(entry.key, ...entry.args)
    if (event) batch.publish(...liveEventMessage(this.keys, event))
    const refused = (await batch.exec())?.find(([error]) => error)
    if (refused) throw refused[0]
  }

  private async store(
    target: ReplyTarget,
    result: { text: string; promptTokens: number; completionTokens: number },
    meta: Record<string, string>,
    author: 'model' | 'chorus' = 'chorus',
    inboundStatus: 'answered' | 'ignored' | 'refused' | 'failed' = 'answered',
  ): Promise<void> {
    const reply = await this.repo.insertReply(
      {
        conversationId: target.conversationId,
        replyToId: target.replyToId,
        text: result.text,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        meta,
      },
      {
        supersedeOlder: author === 'model',
        role: author === 'model' ? 'assistant' : 'system',
        inboundStatus,
        onlyWhileBot: author === 'model' || meta.notice === 'failure',
      },
    )
    if (reply.id === null) {
      // A person took the conversation over while the model was writing: the bot stays silent.
      this.logger.info({ conversationId: target.conversationId }, 'reply dropped: a person owns the conversation')
      return
    }
    // Announced even when the reply already existed: the first announcement may have been lost
    // in a crash. Delivery claims each reply once, so a second announcement sends nothing.
    const role = author === 'model' ? 'assistant' : 'system'
    const event = { type: 'message', conversationId: target.conversationId, id: String(reply.id), role, botId: target.botId } as const
    await this.announceReply(target, reply.id, reply.route, reply.created ? event : undefined)
    this.logger.debug({ conversationId: target.conversationId, replyId: String(reply.id), created: reply.created }, 'reply stored')
  }
}
