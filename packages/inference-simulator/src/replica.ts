import { createHash } from 'node:crypto'

/** The simulated GPU server's parameters (see docs/inference-simulator.md). */
export interface SimulatorParams {
  /** Sequences decoded together; more wait in a queue, as on a real continuous-batching server. */
  maxBatch: number
  /** Fixed part of the time to first token, ms. */
  ttftMs: number
  /** Prefill time per prompt token that is not in the prefix cache, ms. */
  prefillMsPerToken: number
  /** Inter-token latency with one running sequence, ms. */
  itlMs: number
  /** How much the inter-token latency grows per additional running sequence (0.02 = 2 %). */
  itlGrowthPerSequence: number
  /** How many prompt prefixes the prefix (KV) cache remembers. */
  prefixCacheEntries: number
  /** Reply length in tokens when the request allows it. */
  replyTokens: number
}

export const defaultSimulatorParams: SimulatorParams = {
  maxBatch: 32,
  ttftMs: 150,
  prefillMsPerToken: 0.2,
  itlMs: 20,
  itlGrowthPerSequence: 0.02,
  prefixCacheEntries: 4096,
  replyTokens: 24,
}

/** A tool call an assistant message made, as OpenAI sends it back in the conversation. */
export interface SimulatedMessageToolCall {
  id: string
  type?: string
  function: { name: string; arguments: string }
}

export interface SimulatedMessage {
  role: string
  /** Text, or OpenAI content parts (text and image_url); '' beside tool calls. */
  content: string | Array<{ type: string; text?: string; image_url?: { url: string } }>
  /** An assistant message's tool calls. */
  tool_calls?: SimulatedMessageToolCall[]
  /** A `tool` message's answer to which call. */
  tool_call_id?: string
}

const imageTokens = 256

/** A message's text (its text parts joined) and how many images it carries. */
export function flatten(content: SimulatedMessage['content']): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 }
  return {
    text: content.map((p) => p.text ?? '').join(''),
    images: content.filter((p) => p.type === 'image_url').length,
  }
}

export interface SimulatedGeneration {
  promptTokens: number
  cachedTokens: number
  completionTokens: number
  finishReason: 'stop' | 'length'
}

const filler =
  'this is a simulated reply from the Chorus inference simulator which streams plausible filler tokens at a configured rate so the platform can be demonstrated and measured without a real model'.split(
    ' ',
  )

/** Estimated tokens of a text: ⌈characters / 4⌉, at least one. */
export function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/**
 * A simulated continuous-batching replica: requests beyond `maxBatch` queue; decoding slows as
 * more sequences run; a prompt whose leading messages were seen before skips their prefill.
 */
export class SimulatedReplica {
  private running = 0
  private readonly waiting: Array<() => void> = []
  private readonly prefixCache = new Map<string, number>()
  readonly stats = { requests: 0, cacheHits: 0, completionTokens: 0 }

  constructor(readonly params: SimulatorParams = defaultSimulatorParams) {}

  get inFlight(): number {
    return this.running
  }

  get queued(): number {
    return this.waiting.length
  }

  async generate(
    messages: SimulatedMessage[],
    maxTokens: number,
    onToken: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<SimulatedGeneration> {
    const count = Math.min(maxTokens, this.params.replyTokens)
    const seen = flatten(messages[messages.length - 1]?.content ?? '').images
    const prompt = await this.decode(
      messages,
      count,
      (i) => {
        onToken(
          i === 0
            ? seen
              ? `[simulated] (${seen} image${seen > 1 ? 's' : ''} seen) `
              : '[simulated] '
            : `${filler[(i - 1) % filler.length]} `,
        )
        this.stats.completionTokens++
      },
      signal,
    )
    return { ...prompt, completionTokens: count, finishReason: count < this.params.replyTokens ? 'length' : 'stop' }
  }

  /**
   * Sends a reply decided in advance (a tool call, an answer from tool results) at the replica's
   * pace: queued and prefilled like any prompt, then one piece per inter-token latency.
   */
  async play<T>(
    messages: SimulatedMessage[],
    pieces: readonly T[],
    completionTokens: number,
    onPiece: (piece: T) => void,
    signal?: AbortSignal,
  ): Promise<{ promptTokens: number; cachedTokens: number }> {
    const prompt = await this.decode(messages, pieces.length, (i) => onPiece(pieces[i]!), signal)
    this.stats.completionTokens += completionTokens
    return prompt
  }

  /** Runs one sequence: waits for a batch slot, prefills, then emits `count` steps. */
  private async decode(
    messages: SimulatedMessage[],
    count: number,
    emit: (step: number) => void,
    signal?: AbortSignal,
  ): Promise<{ promptTokens: number; cachedTokens: number }> {
    this.stats.requests++
    await this.acquire(signal)
    try {
      const { promptTokens, cachedTokens } = this.lookupPrefix(messages)
      if (cachedTokens > 0) this.stats.cacheHits++
      await delay(this.params.ttftMs + this.params.prefillMsPerToken * (promptTokens - cachedTokens), signal)
      for (let i = 0; i < count; i++) {
        if (i > 0) await delay(this.params.itlMs * (1 + this.params.itlGrowthPerSequence * (this.running - 1)), signal)
        emit(i)
      }
      return { promptTokens, cachedTokens }
    } finally {
      this.release()
    }
  }

  private lookupPrefix(messages: SimulatedMessage[]): { promptTokens: number; cachedTokens: number } {
    const hash = createHash('sha256')
    let promptTokens = 0
    let cachedTokens = 0
    const keys: Array<[string, number]> = []
    for (const message of messages) {
      const { text, images } = flatten(message.content)
      const tools = toolText(message)
      hash.update(`${message.role}\u0000${text}\u0000${images}\u0000${tools}\u0001`)
      promptTokens += tokensOf(text + tools) + images * imageTokens
      const key = hash.copy().digest('hex')
      if (this.prefixCache.has(key)) cachedTokens = promptTokens
      keys.push([key, promptTokens])
    }
    for (const [key, tokens] of keys) {
      this.prefixCache.delete(key)
      this.prefixCache.set(key, tokens)
    }
    while (this.prefixCache.size > this.params.prefixCacheEntries) {
      this.prefixCache.delete(this.prefixCache.keys().next().value!)
    }
    return { promptTokens, cachedTokens }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.running < this.params.maxBatch) {
      this.running++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort)
        this.running++
        resolve()
      }
      const onAbort = () => {
        const index = this.waiting.indexOf(grant)
        if (index >= 0) this.waiting.splice(index, 1)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(grant)
    })
  }

  private release(): void {
    this.running--
    this.waiting.shift()?.()
  }
}

// Tool calls and the id a result answers are part of the prompt: two turns that differ only
// there must not share a cache entry.
function toolText(message: SimulatedMessage): string {
  const calls = (message.tool_calls ?? []).map((call) => `${call.id}\u0000${call.function.name}\u0000${call.function.arguments}`)
  return [message.tool_call_id ?? '', ...calls].join('\u0002')
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
