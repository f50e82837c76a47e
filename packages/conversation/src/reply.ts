import type { Logger } from 'pino'
import type { Dispatcher } from '@chorus/pool'
import type { ChannelKind, Prisma } from '@chorus/db'
import type { Source } from '@chorus/llm'
import type { BotSettings, OutboxRoute, PromptJob } from '@chorus/protocol'
import type { ConversationKeys } from './keys.js'
import type { ConversationPrompt } from './prepare.js'
import type { RedisClient } from '@chorus/redis'
import { findBlockedWord, type BotDirectory } from './bot-directory.js'
import type { ConversationRepository } from './conversation.repository.js'
import { t } from './i18n.js'
import { liveEventMessage, type LiveEvent } from './live-events.js'
import { outboxEntry } from './outbox-entry.js'
import { promptJobId } from './prompt-job-id.js'
import type { ReplyScreen } from './types.js'

/**
 * The line a grounded reply ends with: up to three documents it rests on, those the engine says
 * it cited, else the sources it was given ("\n\n来源：《西湖旅行社常见问题》").
 */
export function citation(cited: string[] | undefined, sources: Source[] | undefined, language: BotSettings['language']) {
  const titles = [...new Set(cited ?? (sources ?? []).map((s) => s.document))].slice(0, 3)
  const appended = titles.length > 0 ? `\n\n${t('sourcesLabel', language)}${titles.map((title) => `《${title}》`).join('')}` : ''
  return { titles, appended }
}

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

/**
 * Stores finished replies (once) and tells the channel's delivery process about them; after a
 * prompt's reply, queues the conversation's next prompt while a question still waits.
 */
export class ReplyService {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly bots: BotDirectory,
    private readonly dispatcher: Dispatcher,
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
   * not support is marked low-confidence (a signal for handing over to a person), and one to small
   * talk is marked so (it never counts as a failed answer).
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
      await this.store(target, { ...result, text: t('refused', language) }, { notice: 'output_blocked' }, 'chorus', 'answered', { job })
      return {}
    }
    const screening = this.screen ? await this.screen(target, result.text) : null
    if (screening?.verdict === 'risky') {
      this.logger.warn({ conversationId: target.conversationId, label: screening.label }, 'model output refused by the content check')
      const meta = { notice: 'output_refused', label: String(screening.label) }
      await this.store(target, { ...result, text: t('refused', language) }, meta, 'chorus', 'answered', { job })
      return {}
    }
    const tools = prepared.context?.tools
    if (tools?.handedOver) {
      // A tool handed the conversation to a person: the reply is Chorus's notice, stored though the bot is no longer in charge.
      const { cited: _cited, ...notice } = result
      await this.store(
        target,
        notice,
        { notice: 'handoff', ...(tools.toolCalls ? { toolCalls: tools.toolCalls } : {}) },
        'chorus',
        'answered',
        {
          job,
        },
      )
      return {}
    }
    const { titles, appended } = citation(result.cited, prepared.engine?.sources, language)
    const meta: Record<string, unknown> = {
      ...(screening?.verdict === 'review' ? { review: String(screening.label) } : {}),
      ...(titles.length > 0 ? { sources: titles.join('\n') } : {}),
      ...(prepared.context?.confident === false ? { confidence: 'low' } : {}),
      ...(prepared.context?.smallTalk ? { smallTalk: prepared.context.smallTalk } : {}),
      ...(prepared.context?.askedBack ? { askedBack: '1' } : {}),
      // The calls made for it, shown collapsed to agents; a call awaiting the user's yes (docs/tools.md).
      ...(tools?.toolCalls ? { toolCalls: tools.toolCalls } : {}),
      ...(tools?.pendingTool ? { pendingTool: tools.pendingTool } : {}),
    }
    const { cited: _cited, ...reply } = result
    const covers = (prepared.context?.covers ?? []).map(BigInt)
    await this.store(target, { ...reply, text: result.text + appended }, meta, 'model', 'answered', { job, supersede: covers })
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
      { notice: 'failure', ...(prepared?.context?.smallTalk ? { smallTalk: prepared.context.smallTalk } : {}) },
      'chorus',
      'failed',
      { job },
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

  /**
   * Stores a reply (once) and announces it. `answering`: the prompt job it ends, with the other
   * questions its prompt held (`supersede`, answered by it too); the conversation's next prompt is
   * queued when a question still waits after it.
   */
  private async store(
    target: ReplyTarget,
    result: { text: string; promptTokens: number; completionTokens: number },
    meta: Record<string, unknown>,
    author: 'model' | 'chorus' = 'chorus',
    inboundStatus: 'answered' | 'ignored' | 'refused' | 'failed' = 'answered',
    answering?: { job: PromptJob; supersede?: bigint[] },
  ): Promise<void> {
    const reply = await this.repo.insertReply(
      {
        conversationId: target.conversationId,
        replyToId: target.replyToId,
        text: result.text,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        // Strings, and the tool calls' plain objects: JSON.
        meta: meta as Prisma.InputJsonValue,
      },
      {
        supersede: answering?.supersede,
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
    if (answering && reply.waitingId !== null) await this.queueNext(answering.job, reply.waitingId, reply.id)
  }

  /**
   * Queues the conversation's next prompt, for question `waitingId`, which still waits after
   * reply `replyId`: the pool keeps one prompt of a conversation waiting behind the one it runs,
   * so the prompts of the questions asked meanwhile were folded into one, and an answer need not
   * cover them all. Queued while this prompt still runs, it starts once this one ends.
   */
  private async queueNext(job: PromptJob, waitingId: bigint, replyId: bigint): Promise<void> {
    if (job.origin.kind !== 'conversation') return
    const next: PromptJob = {
      ...job,
      origin: { ...job.origin, messageId: String(waitingId) },
      enqueuedAt: Date.now(),
      attempt: 0,
      avoidReplicas: [],
    }
    // An id of its own for each reply it follows (the question's first job may be kept as
    // completed), on the question's reply stream; the same reply stored twice queues it once.
    // Admitted once already: no second refusal for a full queue.
    await this.dispatcher.dispatch(`${promptJobId(waitingId)}~${replyId}`, next, { force: true })
    this.logger.debug({ conversationId: job.origin.conversationId, messageId: String(waitingId) }, 'next prompt queued')
  }
}
