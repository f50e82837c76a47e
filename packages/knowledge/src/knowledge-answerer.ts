import { estimateTokens, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from '@chorus/llm'

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

/**
 * The engine used when no model is configured: it answers from the knowledge base alone — the
 * best FAQ entry's answer, or the best passage — from the sources retrieved for the prompt
 * (only those above the bot's threshold reach it), and says so when there are none. No text
 * is made up; the sources are cited by the reply service like any grounded answer.
 */
export class KnowledgeAnswerer implements Engine {
  readonly kind = 'knowledge'
  readonly model = 'chorus-knowledge'
  // Each question gets an answer of its own: the passages were found for one question.
  readonly answersLastQuestionOnly = true

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    const best = request.sources?.[0]
    const text = !best ? noSources : best.kind === 'faq' && best.answer ? best.answer : excerpt(best.text, maxPassage)
    // Sent in a few pieces, so a streaming client sees it arrive like any other reply.
    for (let i = 0; i < text.length; i += 24) {
      if (request.signal?.aborted) break
      onChunk({ text: text.slice(i, i + 24) })
    }
    const promptTokens = request.messages.reduce((n, m) => n + estimateTokens(typeof m.content === 'string' ? m.content : ''), 0)
    return { text, promptTokens, completionTokens: estimateTokens(text), finishReason: 'stop', cited: best ? [best.document] : [] }
  }

  async probe(): Promise<void> {}

  async close(): Promise<void> {}
}
