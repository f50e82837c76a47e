import { botSettings, type BotSettings, type ChatMessage, type PromptJob } from '@chorus/protocol'
import type { Source } from '@chorus/llm'
import type { PreparedPrompt } from '@chorus/pool'
import { buildContext } from './context.js'
import type { ConversationRepository } from './conversation.repository.js'
import { t } from './i18n.js'
import { botMayAnswer } from './state-machine.js'

/** What the conversation package keeps with a prompt it prepared, for when its reply is stored. */
export interface ConversationPromptContext {
  /** The inbound message the reply answers. */
  replyTo: string
  /** False when the knowledge base had nothing good enough: a signal for handing over to a person. */
  confident?: boolean
}

/** A conversation's prompt, as the pool runs it (the sources, if any, go to the engine). */
export type ConversationPrompt = PreparedPrompt<ConversationPromptContext>

export interface PrepareSettings {
  contextTokens: number
  maxReplyTokens: number
}

/** Where the bot's knowledge is searched (packages/knowledge, wired by the worker). */
export interface KnowledgeLookup {
  hasKnowledge(botId: string): Promise<boolean>
  search(botId: string, query: string, k: number): Promise<Source[]>
}

/** The prompt's system message with the retrieved sources, numbered and titled, for grounded answers. */
export function groundedMessages(messages: ChatMessage[], sources: Source[], language: BotSettings['language']): ChatMessage[] {
  const listing = sources.map((s, i) => `[${i + 1}] 《${s.document}》\n${s.kind === 'faq' && s.answer ? s.answer : s.text}`).join('\n\n')
  const grounding: ChatMessage = { role: 'system', content: `${t('groundingInstruction', language)}\n\n${listing}` }
  const [first, ...rest] = messages
  return first?.role === 'system' ? [first, grounding, ...rest] : [grounding, ...messages]
}

/**
 * Builds a conversation's prompt when its job starts, not when it was queued: a user who wrote
 * again in the meantime gets one answer to the latest state. Returns null when nothing is left
 * to answer (already answered, or a person took the conversation over). A bot with a knowledge
 * base gets the best passages in its prompt, or — when none is good enough — a reply saying so.
 */
export class PromptPreparer {
  /** Each bot's settings as last parsed, with the text they were parsed from. */
  private readonly parsed = new Map<string, { text: string; settings: BotSettings }>()

  constructor(
    private readonly repo: ConversationRepository,
    private readonly settings: PrepareSettings,
    private readonly knowledge?: KnowledgeLookup,
  ) {}

  async prepare(job: PromptJob): Promise<ConversationPrompt | null> {
    if (job.origin.kind === 'api') return { messages: job.messages }
    const context = await this.repo.findPrompt(job.origin.conversationId)
    if (!context || !context.enabled || !botMayAnswer(context.state) || context.latestQueuedId === null) return null
    const botId = job.origin.botId
    const settings = this.settingsOf(botId, context.settings)
    // History starts at the last /reset (the query's) and no earlier than the expiry window.
    const expiry = settings.contextExpiryMinutes > 0 ? Date.now() - settings.contextExpiryMinutes * 60_000 : null
    const history = context.history.filter((item) => expiry === null || item.at > expiry)
    const messages = buildContext({
      persona: settings.groupPersonas[context.channelTitle] || context.persona,
      history,
      budgetTokens: this.settings.contextTokens - this.settings.maxReplyTokens,
      namedSpeakers: context.channelKind === 'wechat_group',
    })
    const replyTo = String(context.latestQueuedId)
    if (!this.knowledge || !(await this.knowledge.hasKnowledge(botId))) return { messages, context: { replyTo } }
    const question = history.at(-1)?.text ?? ''
    const sources = (await this.knowledge.search(botId, question, settings.knowledge.topK)).filter(
      (s) => s.score >= settings.knowledge.minScore,
    )
    if (sources.length === 0) return { messages, answer: t('noMatch', settings.language), context: { replyTo, confident: false } }
    return { messages: groundedMessages(messages, sources, settings.language), engine: { sources }, context: { replyTo, confident: true } }
  }

  /** A bot's settings, parsed again only when their text changed (not for every prompt). */
  private settingsOf(botId: string, text: string): BotSettings {
    const kept = this.parsed.get(botId)
    if (kept?.text === text) return kept.settings
    // Settings written by older versions or by hand fall back to defaults.
    const parsed = botSettings.safeParse(JSON.parse(text))
    const settings = parsed.success ? parsed.data : botSettings.parse({})
    this.parsed.set(botId, { text, settings })
    return settings
  }
}
