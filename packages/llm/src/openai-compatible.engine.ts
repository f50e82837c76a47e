import OpenAI from 'openai'
import { textOf, type OpenAIChunkChoice } from '@chorus/protocol'
import { estimateTokens } from './token-estimate.js'
import { nodeHttpFetch } from './node-http-fetch.js'
import { ChoiceAssembly } from './choice-assembly.js'
import { EngineError, RequestRefused, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'

export interface OpenAICompatibleOptions {
  baseURL: string
  model: string
  apiKey?: string
  timeoutMs?: number
}

/** An OpenAI-compatible inference server (vLLM, SGLang, TGI, Ollama, llama.cpp server, hosted APIs). */
export class OpenAICompatibleEngine implements Engine {
  readonly kind = 'openai-compatible'
  readonly toolCalling = true
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
      fetch: nodeHttpFetch,
    })
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    let text = ''
    let finishReason: string | undefined
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined
    let chunks = 0
    // Only a /v1 request passed through has its choices put together (a chat's reply is its text alone).
    const passthrough = request.openai !== undefined
    const assembly = passthrough ? new ChoiceAssembly() : undefined
    try {
      const stream = await this.client.chat.completions.create(this.body(request), { signal: request.signal })
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage
        if (assembly && chunk.choices.length > 0) assembly.add(chunk.choices as OpenAIChunkChoice[])
        const choice = assembly ? chunk.choices.find((c) => c.index === 0) : chunk.choices[0]
        const piece = choice?.delta?.content ?? ''
        if (piece) {
          text += piece
          chunks++
        }
        if (assembly && chunk.choices.length > 0) onChunk({ text: piece, choices: chunk.choices as OpenAIChunkChoice[] })
        else if (piece) onChunk({ text: piece })
        if (choice?.finish_reason) finishReason = choice.finish_reason
      }
      // The SDK ends a stream aborted mid-reply quietly; a cut-off reply must not pass for a whole one.
      request.signal?.throwIfAborted()
    } catch (error) {
      if (request.signal?.aborted) throw error
      const status = error instanceof OpenAI.APIError ? error.status : undefined
      // A /v1 request the server finds invalid (a bad schema, a parameter it does not take) is the client's to fix.
      if (passthrough && error instanceof OpenAI.APIError && (status === 400 || status === 413 || status === 422)) {
        const message = (error.error as { message?: unknown } | undefined)?.message
        throw new RequestRefused(typeof message === 'string' ? message : error.message, error.param ?? null, 'invalid_request', {
          cause: error,
        })
      }
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
      ...(assembly ? { choices: assembly.result() } : {}),
    }
  }

  /**
   * The server's request. A `/v1` request goes as the client sent it, every field (tools, content
   * parts, sampling, a server's own extensions) unchanged; only the model name is the server's,
   * a `developer` message goes as `system` (many servers' chat templates know no other), and the
   * reply always streams (with usage), whatever the client asked.
   */
  private body(request: GenerateRequest): OpenAI.Chat.ChatCompletionCreateParamsStreaming {
    const streamed = { stream: true, stream_options: { include_usage: true } } as const
    if (!request.openai) {
      return {
        model: this.model,
        // Content parts (images) go as they are: the server's model must be vision-capable.
        messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        ...streamed,
      }
    }
    const { stream: _stream, stream_options: _options, max_tokens: _maxTokens, ...asSent } = request.openai
    return {
      ...(asSent as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming),
      model: this.model,
      messages: asSent.messages.map((m) =>
        m.role === 'developer' ? { ...m, role: 'system' } : m,
      ) as OpenAI.Chat.ChatCompletionMessageParam[],
      // The limit the API settled on, under the name the client used.
      ...(asSent.max_completion_tokens ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
      ...streamed,
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
