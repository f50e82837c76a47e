import {
  estimateTokens,
  refuseNonTextMessages,
  refuseUnhonoured,
  RequestRefused,
  stopSequences,
  type Engine,
  type GenerateChunk,
  type GenerateRequest,
  type GenerateResult,
  type Source,
} from '@chorus/llm'

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

/** The longest start of `text` within `maxTokens` (by the same estimate its tokens are counted with). */
function cutToTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text
  let fits = 0
  let over = text.length
  while (over - fits > 1) {
    const middle = Math.floor((fits + over) / 2)
    if (estimateTokens(text.slice(0, middle)) <= maxTokens) fits = middle
    else over = middle
  }
  // Never half an emoji (a surrogate pair).
  const code = text.charCodeAt(fits - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? fits - 1 : fits)
}

/**
 * The `/v1` parameters it honours besides the length: stop sequences, and a seed (its answer
 * never varies). A temperature other than 0 asks for sampling it does not do, so is refused.
 */
const honoured = new Set(['stop', 'seed', 'temperature'])

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
    refuseUnhonoured(request.openai, this.kind, honoured)
    refuseNonTextMessages(request.openai, this.kind)
    if (request.openai?.temperature) {
      throw new RequestRefused(
        'The knowledge answerer answers from documents without sampling: only temperature 0 is honoured.',
        'temperature',
      )
    }
    // A question asking several things has a source per part: each part gets its answer, in order.
    const sources = request.sources ?? []
    const used = sources.some((s) => s.part !== undefined) ? sources.filter((s) => s.part !== undefined) : sources.slice(0, 1)
    const whole = used.length === 0 ? noSources : used.map(answerOf).join('\n\n')
    // A /v1 reply ends before the first stop sequence, then at max_tokens. A chat's reply is a
    // quoted answer and never cut: its token budget is for a model's writing.
    const stops = stopSequences(request.openai)
      .map((stop) => whole.indexOf(stop))
      .filter((at) => at >= 0)
    const stopped = stops.length > 0 ? whole.slice(0, Math.min(...stops)) : whole
    const text = request.openai ? cutToTokens(stopped, request.maxTokens) : stopped
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
      finishReason: text.length < stopped.length ? 'length' : 'stop',
      cited: [...new Set(used.map((s) => s.document))],
    }
  }

  async probe(): Promise<void> {}

  async close(): Promise<void> {}
}
