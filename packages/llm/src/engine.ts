import type { ChatMessage } from '@chorus/protocol'

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
  /** Aborting frees the replica's slot (an HTTP abort for servers, a stopped sequence locally). */
  signal?: AbortSignal
}

export interface GenerateChunk {
  text: string
}

export interface GenerateResult {
  text: string
  promptTokens: number
  completionTokens: number
  finishReason: string
  /** The documents the reply rests on, when the engine knows (the knowledge answerer); else all sources given are cited. */
  cited?: string[]
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
  /** Streams the reply; `onChunk` sees each piece of text as it is produced. */
  generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult>
  /** Resolves when the replica answers at all (used to bring a replica marked down back). */
  probe(): Promise<void>
  close(): Promise<void>
}

/** The engine failed in a way a retry (possibly on another replica) may fix. */
export class EngineError extends Error {
  override readonly name = 'EngineError'
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
