import { estimateTokens, RequestRefused, type GenerateRequest, type Source } from '@chorus/llm'
import { chatCompletionRequest } from '@chorus/protocol'
import { KnowledgeAnswerer } from './knowledge-answerer.js'

const answer = '西湖游船每天八点开船，傍晚六点收船。Boats leave every half hour 🚣 from the pier.'
const sources: Source[] = [{ document: 'FAQ', text: '游船几点开？', kind: 'faq', answer, score: 1 }]
const messages = [{ role: 'user' as const, content: '游船几点开？' }]

/** A generation for a /v1 request with these parameters (or, without them, a chat's). */
async function generate(maxTokens: number, params?: Record<string, unknown>) {
  const request: GenerateRequest = {
    messages,
    maxTokens,
    sources,
    ...(params ? { openai: chatCompletionRequest.parse({ model: 'chorus-knowledge', messages, ...params }) } : {}),
  }
  const chunks: string[] = []
  const result = await new KnowledgeAnswerer().generate(request, (chunk) => chunks.push(chunk.text))
  return { result, streamed: chunks.join('') }
}

describe('the knowledge answerer answering /v1', () => {
  it('cuts the answer at max_tokens and says "length"', async () => {
    for (const maxTokens of [1, 5, 12, 20]) {
      const { result, streamed } = await generate(maxTokens, {})
      expect(result.finishReason).toBe('length')
      expect(result.completionTokens).toBeLessThanOrEqual(maxTokens)
      expect(estimateTokens(result.text)).toBe(result.completionTokens)
      expect(answer.startsWith(result.text)).toBe(true)
      expect(streamed).toBe(result.text)
    }
  })

  it('never leaves half an emoji', async () => {
    const upToEmoji = estimateTokens(answer.slice(0, answer.indexOf('🚣') + 1))
    const { result } = await generate(upToEmoji, {})
    expect(result.text.endsWith('\ud83d')).toBe(false)
  })

  it('gives the whole answer with "stop" when it fits', async () => {
    const { result } = await generate(1000, { seed: 3, temperature: 0 })
    expect(result).toMatchObject({ text: answer, finishReason: 'stop', cited: ['FAQ'] })
  })

  it('ends before the first stop sequence', async () => {
    const { result } = await generate(1000, { stop: ['Boats', '傍晚'] })
    expect(result.text).toBe('西湖游船每天八点开船，')
    expect(result.finishReason).toBe('stop')
  })

  it('never cuts a chat answer (no /v1 request): its budget is for a model', async () => {
    const { result } = await generate(3)
    expect(result.text).toBe(answer)
  })

  it.each([
    ['temperature', { temperature: 0.8 }],
    ['top_p', { top_p: 0.5 }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['frequency_penalty', { frequency_penalty: 1 }],
  ])('refuses %s, naming it', async (param, params) => {
    await expect(generate(10, params)).rejects.toBeInstanceOf(RequestRefused)
    await expect(generate(10, params)).rejects.toMatchObject({ param })
  })
})
