import type { OpenAIChunkChoice, ReplyEvent } from '@chorus/protocol'
import type { RedisClient } from '@chorus/redis'

const streamTtlSeconds = 3600

/**
 * The reply stream of a job: a prompt's retries and re-queues (`<id>~<n>`, each suffixed to the
 * job it follows, so `m-5~1~2`) share the first job's stream.
 */
export function replyStreamId(jobId: string): string {
  return jobId.replace(/(~\d+)+$/, '')
}

/** Whether a chunk is one choice's plain text and nothing else (no role, tool call, log probabilities or finish). */
function plainText(chunk: OpenAIChunkChoice[]): chunk is [OpenAIChunkChoice & { delta: { content: string } }] {
  if (chunk.length !== 1) return false
  const [choice] = chunk as [OpenAIChunkChoice]
  if (choice.finish_reason || Object.keys(choice).some((key) => key !== 'index' && key !== 'delta' && key !== 'finish_reason')) return false
  const delta = choice.delta ?? {}
  return typeof delta.content === 'string' && Object.keys(delta).length === 1
}

/**
 * Passed-through chunks as few as they can be: consecutive plain-text pieces of the same choice
 * become one (as the text deltas are coalesced); anything else stays as the server sent it.
 */
function coalesceChunks(chunks: OpenAIChunkChoice[][]): OpenAIChunkChoice[][] {
  const out: OpenAIChunkChoice[][] = []
  for (const chunk of chunks) {
    const last = out.at(-1)
    if (last && plainText(last) && plainText(chunk) && last[0].index === chunk[0].index) {
      out[out.length - 1] = [{ ...last[0], delta: { content: last[0].delta.content + chunk[0].delta.content } }]
    } else {
      out.push(chunk)
    }
  }
  return out
}

/**
 * Writes a job's reply events to its Redis stream. The first delta goes out at once (time to
 * first token is never delayed); later ones are coalesced for `flushMs` to spare Redis. Each
 * delta says where it starts in the answer, and `done` carries the whole text: a reader that
 * finds a delta missing completes the answer from it (`ReplyReader`).
 */
export class ReplyPublisher {
  private pending = ''
  /** A `/v1` passthrough's chunk choices not yet written, in order. */
  private pendingChunks: OpenAIChunkChoice[][] = []
  private timer: NodeJS.Timeout | undefined
  private sentFirst = false
  /** How much of the answer the deltas so far hold. */
  private offset = 0
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly flushMs = 30,
  ) {}

  /** `choices`: a passed-through chunk's own choices (tool-call deltas and all), written with the text. */
  delta(text: string, choices?: OpenAIChunkChoice[]): void {
    this.pending += text
    if (choices) this.pendingChunks.push(choices)
    if (!this.sentFirst) {
      // Everything up to the first text (or tool call) goes out at once, in one write: a server's
      // first chunk often carries only the role, which waits for the first token instead of
      // being written before it (the token's write would queue behind the role's).
      this.sentFirst = text !== '' || Boolean(choices?.some((choice) => choice.delta && 'tool_calls' in choice.delta))
      if (this.sentFirst) this.flush()
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushMs)
    }
  }

  /** Publishes the final event after every pending delta; resolves once written. */
  async finish(event: Exclude<ReplyEvent, { type: 'delta' }>): Promise<void> {
    this.flush()
    await this.write(event)
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.pending && this.pendingChunks.length === 0) return
    const text = this.pending
    const chunks = this.pendingChunks
    this.pending = ''
    this.pendingChunks = []
    // A delta lost while Redis is away only holds back what a reader shows until the final
    // event, which the caller awaits and which carries the whole text.
    this.write({ type: 'delta', text, at: this.offset, ...(chunks.length > 0 ? { chunks: coalesceChunks(chunks) } : {}) }).catch(
      () => undefined,
    )
    this.offset += text.length
  }

  /** Writes after every earlier write, whether that one succeeded or not. */
  private write(event: ReplyEvent): Promise<unknown> {
    const written = this.chain.then(() =>
      this.redis.multi().xadd(this.key, 'MAXLEN', '~', '10000', '*', 'e', JSON.stringify(event)).expire(this.key, streamTtlSeconds).exec(),
    )
    this.chain = written.catch(() => undefined)
    return written
  }
}

/** Where a job's reply events go: its reply stream, or nowhere when nobody reads it. */
export type ReplySink = Pick<ReplyPublisher, 'delta' | 'finish'>

/** A reply nobody reads as it is written (a WeChat chat's): nothing goes to Redis. */
export const unreadReply: ReplySink = {
  delta: () => undefined,
  finish: async () => undefined,
}
