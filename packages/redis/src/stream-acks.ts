import type { RedisClient } from './connect.js'

/**
 * Acknowledges a consumer group's entries of one stream in batches: the ids acknowledged within
 * `windowMs` of the first go in one XACK, one round trip for many entries. Only for entries whose
 * handling is idempotent: an acknowledgement lost with the process leaves its entry pending, and
 * it is read and handled again.
 */
export class StreamAcks {
  private batch: { ids: string[]; sent: Promise<void> } | undefined

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly group: string,
    private readonly windowMs = 10,
  ) {}

  /** Acknowledges entry `id` with the next batch; resolves once Redis has it. */
  ack(id: string): Promise<void> {
    if (!this.batch) {
      const ids: string[] = []
      const sent = new Promise((resolve) => setTimeout(resolve, this.windowMs)).then(() => {
        if (this.batch?.ids === ids) this.batch = undefined
        return this.send(ids)
      })
      this.batch = { ids, sent }
    }
    this.batch.ids.push(id)
    return this.batch.sent
  }

  /** Waits for the batch under way, if any (before the connection closes). */
  async flush(): Promise<void> {
    await this.batch?.sent
  }

  private async send(ids: string[]): Promise<void> {
    await this.redis.xack(this.key, this.group, ...ids)
  }
}
