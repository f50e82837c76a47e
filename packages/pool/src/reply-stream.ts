import type { ReplyEvent } from '@chorus/protocol'
import type { RedisClient } from '@chorus/redis'

const streamTtlSeconds = 3600

/**
 * The reply stream of a job: a prompt's retries and re-queues (`<id>~<n>`, each suffixed to the
 * job it follows, so `m-5~1~2`) share the first job's stream.
 */
export function replyStreamId(jobId: string): string {
  return jobId.replace(/(~\d+)+$/, '')
}

/**
 * Writes a job's reply events to its Redis stream. The first delta goes out at once (time to
 * first token is never delayed); later ones are coalesced for `flushMs` to spare Redis. Each
 * delta says where it starts in the answer, and `done` carries the whole text: a reader that
 * finds a delta missing completes the answer from it (`ReplyReader`).
 */
export class ReplyPublisher {
  private pending = ''
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

  delta(text: string): void {
    this.pending += text
    if (!this.sentFirst) {
      this.sentFirst = true
      this.flush()
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
    if (!this.pending) return
    const text = this.pending
    this.pending = ''
    // A delta lost while Redis is away only holds back what a reader shows until the final
    // event, which the caller awaits and which carries the whole text.
    this.write({ type: 'delta', text, at: this.offset }).catch(() => undefined)
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
