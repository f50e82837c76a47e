import type { ChatCompletionRequest, ChatMessage, OpenAIChoice, OpenAIChunkChoice, RecordedToolCall } from '@chorus/protocol'

/** A passage from the company's knowledge the answer should rest on (already in the prompt's text). */
export interface Source {
  document: string
  text: string
  kind: 'passage' | 'faq'
  /** An FAQ entry's answer. */
  answer?: string | null
  score: number
  /** Which part of a question that asks several things this source answers (0, 1, …); absent for a single question. */
  part?: number
}

/** What a bot's knowledge base makes of a question (packages/knowledge decides, the prompt preparer acts). */
export type KnowledgeAnswer =
  /** Answer from these sources, best first. */
  | { kind: 'answer'; sources: Source[] }
  /** Several entries are about as likely: ask which of these questions was meant. */
  | { kind: 'ask'; questions: string[] }
  | { kind: 'none' }

export interface GenerateRequest {
  messages: ChatMessage[]
  maxTokens: number
  temperature?: number
  /** The knowledge retrieved for this prompt, best first; the built-in knowledge answerer answers from it. */
  sources?: Source[]
  /**
   * A `/v1` request as the client sent it: the engine honours every parameter in it or throws
   * `RequestRefused` naming the one it cannot (never ignores one). `messages`, `maxTokens` and
   * `temperature` above are already taken from it.
   */
  openai?: ChatCompletionRequest
  /** Aborting frees the replica's slot (an HTTP abort for servers, a stopped sequence locally). */
  signal?: AbortSignal
}

export interface GenerateChunk {
  text: string
  /** For a `/v1` request passed through: the server's chunk choices as streamed (tool-call deltas and all). */
  choices?: OpenAIChunkChoice[]
}

export interface GenerateResult {
  text: string
  promptTokens: number
  completionTokens: number
  finishReason: string
  /** The documents the reply rests on, when the engine knows (the knowledge answerer); else all sources given are cited. */
  cited?: string[]
  /** For a `/v1` request passed through: every finished choice, tool calls included. */
  choices?: OpenAIChoice[]
  /** The tools called for this answer, when a bot's tool loop drove the engine. */
  toolCalls?: RecordedToolCall[]
}

/** One inference replica behind a uniform, streaming interface. */
export interface Engine {
  /** What kind of engine this is, for logs and metrics (`openai-compatible`, `llama-cpp`). */
  readonly kind: string
  /** The model name this engine serves. */
  readonly model: string
  /**
   * True when a reply answers only the prompt's last question (the knowledge answerer, which
   * answers from the passages found for that question); a model reads every question in its prompt.
   */
  readonly answersLastQuestionOnly?: boolean
  /**
   * True when the engine passes `tools` to a model that can call them (an OpenAI-compatible
   * server): a bot's tool loop runs only on such an engine.
   */
  readonly toolCalling?: boolean
  /** Streams the reply; `onChunk` sees each piece of text as it is produced. */
  generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult>
  /** Resolves when the replica answers at all (used to bring a replica marked down back). */
  probe(): Promise<void>
  close(): Promise<void>
}

/** The engine failed in a way a retry (possibly on another replica) may fix. */
export class EngineError extends Error {
  override readonly name: string = 'EngineError'
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * The request asks for what this engine cannot do (a parameter it cannot honour) or the server
 * refused it as invalid: the client gets a 400 naming `param`; no retry, and the replica is not
 * to blame.
 */
export class RequestRefused extends EngineError {
  override readonly name = 'RequestRefused'
  constructor(
    message: string,
    readonly param: string | null,
    readonly code: 'unsupported_parameter' | 'invalid_request' = 'unsupported_parameter',
    options?: { cause?: unknown },
  ) {
    super(message, false, options)
  }
}
