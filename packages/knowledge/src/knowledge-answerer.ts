import { estimateTokens, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult, type Source } from '@chorus/llm'

const noSources =
  '抱歉，我只能根据资料回答，这个问题我没有找到答案。回复 /human 可以转人工客服。(I can only answer from our documents and found nothing on this; reply /human to reach a person.)'
const maxPassage = 500

/** A passage cut at a sentence end near `max` characters. */
function excerpt(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  const end = Math.max(...['。', '！', '？', '. ', '! ', '? ', '\n'].map((mark) => cut.lastIndexOf(mark)))
  return end > max / 2 ? cut.slice(0, end + 1).trim() : `${cut.trim()}…`
}

/** What a source says: an FAQ entry's answer, or the passage cut at a sentence end. */
function answerOf(source: Source): string {
  return source.kind === 'faq' && source.answer ? source.answer : excerpt(source.text, maxPassage)
}

/**
 * The engine used when no model is configured: it answers from the knowledge base alone — the
 * best FAQ entry's answer, or the best passage — from the sources retrieved for the prompt
 * (only those above the bot's threshold reach it), one per part of a question that asks several
 * things, and says so when there are none. No text
 * is made up; the sources are cited by the reply service like any grounded answer.
 */
export class KnowledgeAnswerer implements Engine {
  readonly kind = 'knowledge'
  readonly model = 'chorus-knowledge'
  // Each question gets an answer of its own: the passages were found for one question.
  readonly answersLastQuestionOnly = true

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    // A question asking several things has a source per part: each part gets its answer, in order.
    const sources = request.sources ?? []
    const used = sources.some((s) => s.part !== undefined) ? sources.filter((s) => s.part !== undefined) : sources.slice(0, 1)
    const text = used.length === 0 ? noSources : used.map(answerOf).join('\n\n')
    // Sent in a few pieces, so a streaming client sees it arrive like any other reply.
    for (let i = 0; i < text.length; i += 24) {
      if (request.signal?.aborted) break
      onChunk({ text: text.slice(i, i + 24) })
    }
    const promptTokens = request.messages.reduce((n, m) => n + estimateTokens(typeof m.content === 'string' ? m.content : ''), 0)
    return {
      text,
      promptTokens,
      completionTokens: estimateTokens(text),
      finishReason: 'stop',
      cited: [...new Set(used.map((s) => s.document))],
    }
  }

  async probe(): Promise<void> {}

  async close(): Promise<void> {}
}
