import { replyEvent, type ReplyEvent } from '@chorus/protocol'
import type { RedisKeys } from './keys.js'
import { connectRedis, type Redis } from './redis.js'

/**
 * Reads reply streams for whoever waits on a prompt (the /v1 and mini-program APIs). Each read
 * blocks one Redis connection (XREAD BLOCK), so connections are pooled and reused.
 */
export class ReplyReader {
  private readonly idle: Redis[] = []
  private readonly all = new Set<Redis>()

  constructor(
    private readonly redisUrl: string,
    private readonly keys: RedisKeys,
  ) {}

  /** Yields the events of a job's reply stream from its start until `done` or `error`. */
  async *read(jobId: string, options: { timeoutMs: number; signal?: AbortSignal }): AsyncGenerator<ReplyEvent> {
    const redis = this.idle.pop() ?? this.open()
    const key = this.keys.reply(jobId)
    let cursor = '0-0'
    const deadline = Date.now() + options.timeoutMs
    try {
      while (!options.signal?.aborted) {
        const remaining = deadline - Date.now()
        if (remaining <= 0) {
          yield { type: 'error', code: 'timeout', message: 'no reply in time' }
          return
        }
        const result = (await redis.xread('COUNT', 200, 'BLOCK', Math.min(remaining, 1000), 'STREAMS', key, cursor)) as Array<
          [string, Array<[string, string[]]>]
        > | null
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            cursor = id
            const event = replyEvent.parse(JSON.parse(fields[1] ?? '{}'))
            yield event
            if (event.type === 'done' || event.type === 'error') return
          }
        }
      }
    } finally {
      this.idle.push(redis)
    }
  }

  close(): void {
    for (const redis of this.all) redis.disconnect()
    this.all.clear()
    this.idle.length = 0
  }

  private open(): Redis {
    const redis = connectRedis(this.redisUrl, { blocking: true, name: 'chorus-reply-reader' })
    this.all.add(redis)
    return redis
  }
}
