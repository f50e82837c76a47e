import type { BuiltinTools } from '@chorus/tools'
import type { BotDirectory } from './bot-directory.js'
import type { HandoffService } from './handoff.js'
import { t } from './i18n.js'
import { handoffText } from './ingest.js'
import type { KnowledgeLookup } from './prepare.js'

/**
 * The built-in tools' work: the bot's knowledge searched as its answers search it, and a handoff
 * requested as `/human` requests it. A handoff that found a person (or the channel's own people)
 * ends the answer with what the user is told; one that found nobody tells the model why.
 */
export function builtinTools(deps: { bots: BotDirectory; handoff: HandoffService; knowledge?: KnowledgeLookup }): BuiltinTools {
  return {
    async searchKnowledge(botId, query) {
      const settings = (await deps.bots.get(botId)).settings.knowledge
      if (!deps.knowledge || !(await deps.knowledge.hasKnowledge(botId))) return 'This bot has no knowledge base.'
      const found = await deps.knowledge.answer(botId, query, settings)
      if (found.kind === 'none') return 'Nothing in the knowledge base matches.'
      if (found.kind === 'ask') return `Several entries are about as likely:\n${found.questions.map((q, i) => `${i + 1}. ${q}`).join('\n')}`
      return found.sources.map((s, i) => `[${i + 1}] 《${s.document}》\n${s.kind === 'faq' && s.answer ? s.answer : s.text}`).join('\n\n')
    },
    async handOver(target, reason) {
      const language = (await deps.bots.get(target.botId)).settings.language
      const answering = target.questionId ? BigInt(target.questionId) : undefined
      const request = await deps.handoff.request(target.conversationId, { type: 'bot', id: target.botId, reason }, answering)
      if (request.kind === 'channel') return { text: 'handed over', isError: false, final: t('human', language) }
      const [key, values] = handoffText(request)
      const told = t(key, language, values)
      if (request.kind === 'waiting' || request.kind === 'already') return { text: 'handed over', isError: false, final: told }
      return { text: `No person can take over now: ${told}`, isError: false }
    },
  }
}
