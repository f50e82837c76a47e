import OpenAI from 'openai'
import { textOf } from '@chorus/protocol'
import { estimateTokens } from './token-estimate.js'
import { EngineError, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'

export interface OpenAICompatibleOptions {
  baseURL: string
  model: string
  apiKey?: string
  timeoutMs?: number
}

/** An OpenAI-compatible inference server (vLLM, SGLang, TGI, Ollama, llama.cpp server, hosted APIs). */
export class OpenAICompatibleEngine implements Engine {
  readonly kind = 'openai-compatible'
  readonly model: string
  private readonly client: OpenAI

  constructor(options: OpenAICompatibleOptions) {
    this.model = options.model
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? 'unused',
      timeout: options.timeoutMs ?? 120_000,
      // The pool retries on another replica; the SDK's own retries would hide a sick one.
      maxRetries: 0,
    })
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    let text = ''
    let finishReason: string | undefined
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined
    let chunks = 0
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          // Content parts (images) go as they are: the server's model must be vision-capable.
          messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      )
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage
        const choice = chunk.choices[0]
        if (!choice) continue
        const piece = choice.delta?.content
        if (piece) {
          text += piece
          chunks++
          onChunk({ text: piece })
        }
        if (choice.finish_reason) finishReason = choice.finish_reason
      }
      // The SDK ends a stream aborted mid-reply quietly; a cut-off reply must not pass for a whole one.
      request.signal?.throwIfAborted()
    } catch (error) {
      if (request.signal?.aborted) throw error
      const status = error instanceof OpenAI.APIError ? error.status : undefined
      const retryable = status === undefined || status === 429 || status >= 500
      throw new EngineError(`inference server failed: ${(error as Error).message}`, retryable, { cause: error })
    }
    // Every OpenAI stream ends its choice with a finish reason. A stream without one was cut off
    // (the server died mid-reply) or was not a completion at all (an HTML error page sent with
    // 200, a bare [DONE]): garbage, tried again elsewhere rather than stored as the answer.
    if (finishReason === undefined) {
      throw new EngineError(`inference server sent no finish reason (${chunks} chunk(s)): a cut-off or malformed stream`, true)
    }
    return {
      text,
      finishReason,
      promptTokens: usage?.prompt_tokens ?? request.messages.reduce((n, m) => n + estimateTokens(textOf(m.content)), 0),
      completionTokens: usage?.completion_tokens ?? chunks,
    }
  }

  /**
   * A one-token completion, not just the model list: a server whose API answers while its
   * completions hang, fail or come back as garbage is not healthy.
   */
  async probe(): Promise<void> {
    const completion = await this.client.chat.completions.create(
      { model: this.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false },
      { timeout: 5000 },
    )
    if (!completion.choices?.[0]?.finish_reason) throw new EngineError('the probe completion has no finish reason', true)
  }

  async close(): Promise<void> {}
}
