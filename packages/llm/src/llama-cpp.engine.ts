import { availableParallelism } from 'node:os'
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  ChatWrapper,
  LLamaChatGenerateResponseOptions,
  LlamaChat,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  ResolvableChatWrapperTypeName,
  Token,
  TokenBias,
} from 'node-llama-cpp'
import { textOf, type ChatCompletionRequest, type ChatMessage, type OpenAIChoice } from '@chorus/protocol'
import { EngineError, RequestRefused, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'
import { llamaRuntime } from './llama-runtime.js'
import {
  callsFunctionsNatively,
  chatHistoryOf,
  choiceOf,
  functionCallingOf,
  toolCallsChunkOf,
  toolCallsOf,
} from './llama-function-calling.js'
import { refuseNonTextMessages, refuseUnhonoured, stopSequences } from './openai-parameters.js'

/** The `/v1` parameters a local model honours, besides the length and the messages (`n` and log probabilities it refuses). */
const honoured = new Set([
  'temperature',
  'top_p',
  'top_k',
  'min_p',
  'seed',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
  'logit_bias',
])
/** What a model whose chat template calls functions honours besides. */
const honouredWithTools = new Set([...honoured, 'tools', 'tool_choice', 'parallel_tool_calls'])

type GenerateOptions = LLamaChatGenerateResponseOptions<ChatModelFunctions>

export interface LlamaCppOptions {
  modelPath: string
  /** Parallel sequences on one context: the replica's concurrency. */
  sequences?: number
  contextSize?: number
  /** Never left to node-llama-cpp: unset, generation ran ~400x slower on small machines. */
  threads?: number
  gpu?: boolean
  /**
   * node-llama-cpp's chat wrapper (the chat template and function-call syntax): `auto` (the
   * default) reads it from the GGUF; name one for a model whose file lacks or misstates it.
   */
  chatWrapper?: ResolvableChatWrapperTypeName
}

/** A local GGUF model served in-process through node-llama-cpp (generation runs on native threads). */
export class LlamaCppEngine implements Engine {
  readonly kind = 'llama-cpp'
  readonly model: string
  /** True when the model's chat template calls functions: only then are `tools` offered to it. */
  readonly toolCalling: boolean
  private free: number

  private constructor(
    private readonly llamaModel: LlamaModel,
    private readonly context: LlamaContext,
    private readonly chatWrapper: ChatWrapper,
    private readonly runtime: { Chat: typeof LlamaChat; Bias: typeof TokenBias; genericFunctions: ChatWrapper['settings']['functions'] },
    sequences: number,
    modelPath: string,
  ) {
    this.model = modelPath
      .split('/')
      .pop()!
      .replace(/\.gguf$/i, '')
    this.free = sequences
    this.toolCalling = callsFunctionsNatively(chatWrapper.settings, runtime.genericFunctions)
  }

  /** The name of node-llama-cpp's chat wrapper for this model (`Llama3_1`, `ChatML`, `General`…). */
  get chatWrapperName(): string {
    return this.chatWrapper.wrapperName
  }

  static async load(options: LlamaCppOptions): Promise<LlamaCppEngine> {
    const { ChatWrapper, LlamaChat, TokenBias, resolveChatWrapper } = await import('node-llama-cpp')
    const llama = await llamaRuntime(options.gpu)
    const model = await llama.loadModel({ modelPath: options.modelPath })
    const chatWrapper = resolveChatWrapper(model, { type: options.chatWrapper ?? 'auto' })
    const sequences = options.sequences ?? 2
    const context = await model.createContext({
      contextSize: options.contextSize ?? 1024 * sequences,
      sequences,
      // Leave a core for the event loop and the rest of the process.
      threads: options.threads ?? Math.max(1, availableParallelism() - 1),
    })
    const runtime = { Chat: LlamaChat, Bias: TokenBias, genericFunctions: ChatWrapper.defaultSettings.functions }
    return new LlamaCppEngine(model, context, chatWrapper, runtime, sequences, options.modelPath)
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    const openai = request.openai
    this.refuseToolsUnlessSupported(openai)
    refuseUnhonoured(openai, this.kind, this.toolCalling ? honouredWithTools : honoured)
    refuseNonTextMessages(openai, this.kind, { toolCalls: this.toolCalling })
    // Before a sequence is taken: what the request cannot have is refused without holding a slot.
    const history = openai ? chatHistoryOf(openai.messages) : historyOf(request.messages)
    const calling = openai ? functionCallingOf(openai) : {}
    if (calling.functions && openai?.response_format && openai.response_format.type !== 'text') {
      throw new RequestRefused(
        'The local model cannot hold its reply to a JSON grammar while offering tools: send one or the other.',
        'response_format',
      )
    }
    const sampling = await this.sampling(openai, request.maxTokens)
    if (this.free <= 0) throw new EngineError('all sequences of the local model are busy', true)
    let sequence: LlamaContextSequence
    try {
      sequence = this.context.getSequence()
    } catch (error) {
      throw new EngineError(`local model has no free sequence: ${(error as Error).message}`, true, { cause: error })
    }
    this.free--
    const chat = new this.runtime.Chat({ contextSequence: sequence, chatWrapper: this.chatWrapper, autoDisposeSequence: false })
    try {
      let chunks = 0
      const response = await chat.generateResponse(history, {
        ...sampling,
        ...calling,
        // A call is written without text: an empty chunk tells the pool the model is answering.
        ...(calling.functions ? { documentFunctionParams: true, onFunctionCallParamsChunk: () => onChunk({ text: '' }) } : {}),
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        signal: request.signal,
        stopOnAbortSignal: false,
        onTextChunk: (piece) => {
          chunks++
          onChunk({ text: piece })
        },
      } as GenerateOptions)
      const text = response.response
      const toolCalls = toolCallsOf(response.functionCalls ?? [])
      const stopReason = response.metadata.stopReason
      const finishReason = toolCalls.length > 0 ? 'tool_calls' : stopReason === 'maxTokens' ? 'length' : 'stop'
      if (toolCalls.length > 0) onChunk({ text: '', choices: [toolCallsChunkOf(toolCalls, chunks === 0)] })
      const completionTokens = sequence.tokenMeter.usedOutputTokens || this.llamaModel.tokenize(text).length || chunks
      // A request that offers tools, or answers tool calls, gets its choice whole (what the tool loop reads).
      const choices: OpenAIChoice[] | undefined =
        calling.functions || toolCalls.length > 0 ? [choiceOf(text, toolCalls, finishReason)] : undefined
      return {
        text,
        promptTokens: sequence.tokenMeter.usedInputTokens,
        completionTokens,
        finishReason,
        ...(choices ? { choices } : {}),
      }
    } catch (error) {
      if (request.signal?.aborted) throw error
      throw new EngineError(`local model failed: ${(error as Error).message}`, false, { cause: error })
    } finally {
      chat.dispose({ disposeSequence: false })
      // Awaited: the sequence id returns to the context's pool only when dispose settles, and
      // `free` must not count a slot that getSequence() would still refuse.
      await sequence.dispose()
      this.free++
    }
  }

  /** `tools`, or a conversation with tool calls, refused by name where the model's chat template has no function calling. */
  private refuseToolsUnlessSupported(request: ChatCompletionRequest | undefined): void {
    if (!request || this.toolCalling) return
    const why = `this model's chat template has no function calling (node-llama-cpp's '${this.chatWrapper.wrapperName}' chat wrapper)`
    if (request.tools?.length) throw new RequestRefused(`The local model '${this.model}' cannot call tools: ${why}.`, 'tools')
    const i = request.messages.findIndex(
      (m) => m.role === 'tool' || m.role === 'function' || (m.role === 'assistant' && m.tool_calls?.length),
    )
    if (i >= 0) throw new RequestRefused(`The local model '${this.model}' cannot read tool calls or tool results: ${why}.`, `messages.${i}`)
  }

  /** node-llama-cpp's options for what a `/v1` request asks (sampling, stop sequences, a JSON grammar). */
  private async sampling(request: ChatCompletionRequest | undefined, maxTokens: number): Promise<GenerateOptions> {
    if (!request) return {}
    const stop = stopSequences(request)
    const penalised = request.presence_penalty != null || request.frequency_penalty != null
    const minP = (request as { min_p?: unknown }).min_p
    const topK = (request as { top_k?: unknown }).top_k
    for (const [name, value, valid] of [
      ['top_k', topK, (v: unknown) => Number.isInteger(v) && (v as number) >= 0],
      ['min_p', minP, (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1],
    ] as const) {
      if (value != null && !valid(value)) throw new RequestRefused(`'${name}' is out of range.`, name, 'invalid_request')
    }
    return {
      ...(request.top_p != null ? { topP: request.top_p } : {}),
      ...(topK != null ? { topK: topK as number } : {}),
      ...(minP != null ? { minP: minP as number } : {}),
      ...(request.seed != null ? { seed: request.seed } : {}),
      ...(stop.length > 0 ? { customStopTriggers: stop } : {}),
      // OpenAI's penalties count every token of the reply; llama.cpp's own repeat penalty stays off.
      ...(penalised
        ? {
            repeatPenalty: {
              penalty: 1,
              lastTokens: maxTokens,
              frequencyPenalty: request.frequency_penalty ?? 0,
              presencePenalty: request.presence_penalty ?? 0,
            },
          }
        : {}),
      ...this.tokenBias(request),
      ...(await this.grammar(request)),
    }
  }

  /** OpenAI's `logit_bias` (token id → bias added to its logit; -100 bans it) as node-llama-cpp's token bias. */
  private tokenBias(request: ChatCompletionRequest): { tokenBias?: TokenBias } {
    const biases = Object.entries(request.logit_bias ?? {})
    if (biases.length === 0) return {}
    // The ids index llama.cpp's logits: one outside the vocabulary is refused before it reaches native code.
    const vocabulary =
      (this.llamaModel.fileInfo.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer?.ggml?.tokens?.length ??
      0
    const bias = new this.runtime.Bias(this.llamaModel.tokenizer)
    for (const [id, value] of biases) {
      const token = Number(id)
      if (!/^\d+$/.test(id) || token >= vocabulary) {
        throw new RequestRefused(
          `logit_bias: '${id}' is not a token id of this model (0 to ${vocabulary - 1}).`,
          'logit_bias',
          'invalid_request',
        )
      }
      bias.set(token as Token, value <= -100 ? 'never' : { logit: value })
    }
    return { tokenBias: bias }
  }

  /** A grammar that holds the reply to JSON, or to the request's JSON schema. */
  private async grammar(request: ChatCompletionRequest): Promise<{ grammar?: LlamaGrammar }> {
    const format = request.response_format
    if (!format || format.type === 'text') return {}
    if (format.type === 'json_object') return { grammar: await this.llamaModel.llama.getGrammarFor('json') }
    const schema = format.json_schema.schema ?? {}
    try {
      // node-llama-cpp checks the schema as it builds the grammar; what it cannot express it throws on.
      return {
        grammar: await this.llamaModel.llama.createGrammarForJsonSchema(
          schema as Parameters<typeof this.llamaModel.llama.createGrammarForJsonSchema>[0],
        ),
      }
    } catch (error) {
      throw new RequestRefused(
        `The local model cannot hold its reply to this JSON schema: ${(error as Error).message}`,
        'response_format',
        'unsupported_parameter',
        { cause: error },
      )
    }
  }

  async probe(): Promise<void> {
    if (this.context.disposed) throw new EngineError('the local model was unloaded', false)
  }

  async close(): Promise<void> {
    await this.context.dispose()
    await this.llamaModel.dispose()
  }
}

/** A chat's messages as node-llama-cpp's history; the last one is the prompt the model answers. */
function historyOf(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = []
  messages.forEach((message, i) => {
    // Local text models read text only: images are left out.
    const text = textOf(message.content)
    if (message.role === 'user' || i === messages.length - 1) history.push({ type: 'user', text })
    else if (message.role === 'system') history.push({ type: 'system', text })
    else history.push({ type: 'model', response: [text] })
  })
  return history
}
