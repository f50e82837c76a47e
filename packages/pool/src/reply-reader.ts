import { replyEvent, type ReplyEvent } from '@chorus/protocol'
import type { PoolKeys } from './keys.js'
import { connectRedis, type RedisClient, type RedisTarget } from '@chorus/redis'

/**
 * Reads reply streams for whoever waits on a prompt (the /v1 and mini-program APIs). Each read
 * blocks one Redis connection (XREAD BLOCK), so connections are pooled and reused.
 */
export class ReplyReader {
  private readonly idle: RedisClient[] = []
  private readonly all = new Set<RedisClient>()

  constructor(
    private readonly target: RedisTarget | string,
    private readonly keys: PoolKeys,
  ) {}

  /**
   * Yields the events of a job's reply stream from its start until `done` or `error`. Should a
   * delta be missing (written while Redis restarted, or lost with it), the deltas stop there and
   * the rest of the answer comes from the `done` event's whole text, as one last delta before it:
   * a reader never shows an answer with a hole or cut short.
   */
  async *read(jobId: string, options: { timeoutMs: number; signal?: AbortSignal }): AsyncGenerator<ReplyEvent> {
    const redis = this.idle.pop() ?? this.open()
    const key = this.keys.reply(jobId)
    let cursor = '0-0'
    // The text the deltas gave since the stream (or the latest retry) began, up to any gap.
    let seen = ''
    let gap = false
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
            if (event.type === 'delta') {
              gap ||= event.at !== undefined && event.at !== seen.length
              if (gap) continue
              seen += event.text
            } else if (event.type === 'retry') {
              seen = ''
              gap = false
            } else if (event.type === 'done' && event.text.length > seen.length && event.text.startsWith(seen)) {
              yield { type: 'delta', text: event.text.slice(seen.length) }
            }
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

  private open(): RedisClient {
    const redis = connectRedis(this.target, { blocking: true, name: 'chorus-reply-reader' })
    this.all.add(redis)
    return redis
  }
}
