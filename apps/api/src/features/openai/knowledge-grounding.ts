import type { KnowledgeLookup } from '@chorus/conversation'
import type { Db } from '@chorus/db'
import { botSettings, type PromptJobInput } from '@chorus/protocol'

/** The model name the pool serves the built-in knowledge answerer under (a worker with no model). */
export const knowledgeAnswererModel = 'chorus-knowledge'

/**
 * What `/v1`'s knowledge answerer answers from: a request names no bot, so it is the deployment's
 * own (CHORUS_BOT_NAME, the mini-program's), whose knowledge is searched for the last user
 * message as the bot would (its threshold and top-k); nothing when the bot finds nothing, or asks
 * back (the answerer then says it has no answer).
 */
export function defaultBotGrounding(
  db: Db,
  knowledge: KnowledgeLookup,
  botName: string,
): (question: string) => Promise<PromptJobInput['sources']> {
  return async (question) => {
    const bot = await db.bot.findUnique({ where: { name: botName }, select: { id: true, settings: true } })
    if (!bot || !question.trim() || !(await knowledge.hasKnowledge(bot.id))) return undefined
    const decision = await knowledge.answer(bot.id, question, botSettings.parse(bot.settings).knowledge)
    return decision.kind === 'answer' ? decision.sources : undefined
  }
}
