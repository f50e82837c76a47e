import { botSettings, type BotSettings, type ChatMessage, type PromptJob } from '@chorus/protocol'
import type { Engine, KnowledgeAnswer, Source } from '@chorus/llm'
import type { PreparedPrompt } from '@chorus/pool'
import { askBackText, chosenQuestion } from './ask-back.js'
import { buildContext, type HistoryItem } from './context.js'
import type { ConversationRepository, PromptContext } from './conversation.repository.js'
import { t } from './i18n.js'
import { smallTalkOf, smallTalkReply, type SmallTalk } from './small-talk.js'
import { botMayAnswer } from './state-machine.js'
import { isYes, pendingConfirmation, toolAnswer, type ToolAnswerRecord, type ToolSource } from './tool-answers.js'

/** What the conversation package keeps with a prompt it prepared, for when its reply is stored. */
export interface ConversationPromptContext {
  /** The inbound message the reply answers. */
  replyTo: string
  /** Other questions still waiting that the prompt holds: the reply answers them too (they are superseded). */
  covers?: string[]
  /** False when the knowledge base had nothing good enough: a signal for handing over to a person. */
  confident?: boolean
  /** The question was only small talk: its reply, whatever it is, never counts as a failed answer. */
  smallTalk?: SmallTalk
  /** The reply asks which of a few FAQ entries was meant (listed among the questions it could not answer). */
  askedBack?: true
  /** Filled in by the tool loop as it runs: the calls made, a confirmation asked for, a handoff. */
  tools?: ToolAnswerRecord
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
  /**
   * Searches for `query` and decides (docs/knowledge.md): at most `topK` sources scoring at least
   * `minScore`. `chosen`: the FAQ question the user picked from an ask-back, answered directly.
   */
  answer(botId: string, query: string, options: { topK: number; minScore: number; chosen?: string }): Promise<KnowledgeAnswer>
}

/** The prompt's system message with the retrieved sources, numbered and titled, for grounded answers. */
export function groundedMessages(messages: ChatMessage[], sources: Source[], language: BotSettings['language']): ChatMessage[] {
  const listing = sources.map((s, i) => `[${i + 1}] 《${s.document}》\n${s.kind === 'faq' && s.answer ? s.answer : s.text}`).join('\n\n')
  const grounding: ChatMessage = { role: 'system', content: `${t('groundingInstruction', language)}\n\n${listing}` }
  const [first, ...rest] = messages
  return first?.role === 'system' ? [first, grounding, ...rest] : [grounding, ...messages]
}

/**
 * Small talk, when every message the bot has not answered yet is small talk ("你好", then "在吗"):
 * one real question among them makes the whole a question.
 */
function unansweredSmallTalk(history: ReadonlyArray<{ role: string; text: string }>, botName: string): SmallTalk | null {
  const lastAnswer = history.findLastIndex((item) => item.role !== 'user')
  const unanswered = history.slice(lastAnswer + 1)
  const kinds = unanswered.map((item) => smallTalkOf(item.text, botName))
  return kinds.length > 0 && kinds.every((kind) => kind !== null) ? kinds.at(-1)! : null
}

/**
 * The other questions waiting that a prompt's reply answers too: every one, when the prompt goes
 * to the model and holds them all (its history is the end of `context.history`); null when the
 * reply would not answer them all (a reply decided without the model, a history cut to fit).
 */
function otherQuestionsCovered(context: PromptContext, prompt: ConversationPrompt): string[] | null {
  const others = context.waitingIds.filter((id) => id !== String(context.questionId))
  if (others.length === 0) return []
  if (prompt.answer !== undefined) return null
  const held = prompt.messages.filter((message) => message.role !== 'system').length
  const inPrompt = new Set(held > 0 ? context.history.slice(-held).map((item) => item.id) : [])
  return others.every((id) => inPrompt.has(id)) ? others : null
}

/** What the bot does with a question: the prompt, or a reply of its own, and how to count it. */
export interface AnswerPlan {
  messages: ChatMessage[]
  /** A reply decided without the model (small talk, asking back, nothing found). */
  answer?: string
  engine?: { sources: Source[] }
  /** False when the knowledge base had nothing good enough; true when it grounds the answer. */
  confident?: boolean
  smallTalk?: SmallTalk
  /** The reply asks back which FAQ entry was meant. */
  askedBack?: true
}

/**
 * What the bot answers to `history`, whose last message is the question: the same for every
 * channel and for the panel's test chat. A bot with a knowledge base gets the best passages in its
 * prompt, asks back when a few FAQ entries are about as likely, or says it found nothing; small
 * talk it answers itself (a greeting is in no document). A number answering the bot's ask-back
 * stands for the question it picked, for the model too.
 */
export async function planAnswer(
  knowledge: KnowledgeLookup | undefined,
  input: {
    botId: string
    botName: string
    settings: BotSettings
    persona: string
    history: HistoryItem[]
    budgetTokens: number
    namedSpeakers: boolean
    /** The model may call tools: what the knowledge base lacks, a tool may know. */
    toolsAvailable?: boolean
  },
): Promise<AnswerPlan> {
  const { botId, settings } = input
  const chosen = chosenQuestion(input.history)
  const history = chosen ? [...input.history.slice(0, -1), { ...input.history.at(-1)!, text: chosen }] : input.history
  const messages = buildContext({ persona: input.persona, history, budgetTokens: input.budgetTokens, namedSpeakers: input.namedSpeakers })
  const smallTalk = unansweredSmallTalk(history, input.botName)
  if (!knowledge || !(await knowledge.hasKnowledge(botId))) return { messages, ...(smallTalk ? { smallTalk } : {}) }
  if (smallTalk) return { messages, answer: smallTalkReply(smallTalk, settings.language, input.botName), smallTalk }
  const found = await knowledge.answer(botId, history.at(-1)?.text ?? '', { ...settings.knowledge, ...(chosen ? { chosen } : {}) })
  if (found.kind === 'ask') return { messages, answer: askBackText(found.questions, settings.language), askedBack: true }
  if (found.kind === 'none')
    return input.toolsAvailable ? { messages } : { messages, answer: t('noMatch', settings.language), confident: false }
  return { messages: groundedMessages(messages, found.sources, settings.language), engine: { sources: found.sources }, confident: true }
}

/**
 * Builds a conversation's prompt when its job starts, not when it was queued: questions asked in
 * the meantime are answered by one reply when the model reads them all in its prompt, otherwise
 * one by one, oldest first (the knowledge answerer answers one question). Returns null when
 * nothing is left to answer (already answered, or a person took the conversation over). A bot
 * with a knowledge base gets the best passages in its prompt, or — when none is good enough — a
 * reply saying so; small talk it answers itself (a greeting is in no document).
 */
export class PromptPreparer {
  /** Each bot's settings as last parsed, with the text they were parsed from. */
  private readonly parsed = new Map<string, { text: string; settings: BotSettings }>()

  constructor(
    private readonly repo: ConversationRepository,
    private readonly settings: PrepareSettings,
    private readonly knowledge?: KnowledgeLookup,
    private readonly tools?: ToolSource,
  ) {}

  /** The prompt for `job`, to be answered by `engine`; null when nothing is left to answer. */
  async prepare(job: PromptJob, engine: Pick<Engine, 'answersLastQuestionOnly' | 'toolCalling'> = {}): Promise<ConversationPrompt | null> {
    // An API request is its own prompt; the panel's test chat brings the sources it retrieved.
    if (job.origin.kind === 'api') return this.apiPrompt(job, job.origin.asBot, engine)
    const { conversationId, botId } = job.origin
    if (!engine.answersLastQuestionOnly) {
      // The latest question, with every one still waiting before it in its history.
      const context = await this.repo.findPrompt(conversationId)
      const prompt = context && (await this.promptFrom({ botId, conversationId }, context, engine))
      if (!context || !prompt) return null
      const covers = otherQuestionsCovered(context, prompt)
      if (covers) return covers.length > 0 ? { ...prompt, context: { ...prompt.context!, covers } } : prompt
    }
    // The oldest question alone: the reply queues the next one's prompt.
    const context = await this.repo.findPrompt(conversationId, { oldestFirst: true })
    return context && this.promptFrom({ botId, conversationId }, context, engine)
  }

  /**
   * An API request's prompt: its own messages. Answered as a bot (the panel's test chat), with
   * the bot's tools when the engine can call them; the calls come back with the answer.
   */
  private async apiPrompt(
    job: PromptJob,
    asBot: { id: string; language: BotSettings['language'] } | undefined,
    engine: Pick<Engine, 'toolCalling'>,
  ): Promise<ConversationPrompt> {
    const prompt = { messages: job.messages, ...(job.sources ? { engine: { sources: job.sources } } : {}) }
    if (!asBot || !engine.toolCalling || !this.tools) return prompt
    const settings = await this.tools.settingsOf(asBot.id)
    const toolset = settings && (await this.tools.toolset({ botId: asBot.id }, settings.tools))
    if (!toolset) return prompt
    const generate = toolAnswer({ toolset, source: this.tools, target: { botId: asBot.id }, language: asBot.language, record: {} })
    return { ...prompt, generate }
  }

  /** The prompt that answers `context`'s question for the bot; null when it may not be answered. */
  private async promptFrom(
    target: { botId: string; conversationId: string },
    context: PromptContext,
    engine: Pick<Engine, 'toolCalling'>,
  ): Promise<ConversationPrompt | null> {
    if (!context.enabled || !botMayAnswer(context.state) || context.questionId === null) return null
    const settings = this.settingsOf(target.botId, context.settings)
    // History starts at the last /reset (the query's) and no earlier than the expiry window.
    const expiry = settings.contextExpiryMinutes > 0 ? Date.now() - settings.contextExpiryMinutes * 60_000 : null
    const history = context.history.filter((item) => expiry === null || item.at > expiry)
    const toolset =
      engine.toolCalling && this.tools
        ? await this.tools.toolset({ ...target, questionId: String(context.questionId) }, settings.tools)
        : null
    // The bot asked the user to confirm a call: a yes runs it (once: the prompt that takes it from
    // the asking reply; a retry finds it gone), anything else leaves it unrun.
    const pending = toolset ? pendingConfirmation(history) : null
    const yes = pending !== null && isYes(history.at(-1)?.text ?? '')
    const confirmed = yes && (await this.repo.takePendingTool(BigInt(pending.askedId))) ? pending.call : undefined
    const declined = pending && !yes ? pending.call : undefined
    const plan = await planAnswer(confirmed ? undefined : this.knowledge, {
      botId: target.botId,
      botName: context.botName,
      settings,
      persona: settings.groupPersonas[context.channelTitle] || context.persona,
      history,
      budgetTokens: this.settings.contextTokens - this.settings.maxReplyTokens,
      namedSpeakers: context.channelKind === 'wechat_group',
      toolsAvailable: toolset !== null,
    })
    // A yes ("好的") is no small talk: the confirmed call runs.
    const { confident, smallTalk, askedBack, ...prompt } = confirmed ? { messages: plan.messages } : plan
    const record: ToolAnswerRecord = {}
    if (declined && prompt.answer !== undefined) record.toolCalls = [{ ...declined, status: 'declined', result: '', ms: 0 }]
    const generate =
      toolset && prompt.answer === undefined
        ? toolAnswer({ toolset, source: this.tools!, target, language: settings.language, confirmed, declined, record })
        : undefined
    return {
      ...prompt,
      ...(generate ? { generate } : {}),
      context: {
        replyTo: String(context.questionId),
        ...(confident !== undefined ? { confident } : {}),
        ...(smallTalk ? { smallTalk } : {}),
        ...(askedBack ? { askedBack } : {}),
        ...(toolset ? { tools: record } : {}),
      },
    }
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
