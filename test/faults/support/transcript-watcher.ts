import { Redis } from 'ioredis'
import { ConversationKeys } from '@chorus/conversation'
import { transcriptKey } from '@chorus/wechat-simulator'

/** A line the bot said in a simulated chat. */
export interface BotLine {
  key: string
  id: string
  text: string
  /** When the simulated WeChat recorded it (ms). */
  at: number
}

type StreamReply = Array<[string, Array<[string, string[]]>]> | null

const field = (fields: string[], name: string) => fields[fields.indexOf(name) + 1] ?? ''

/**
 * Follows the simulated WeChat's chats (Redis streams, read with XREAD BLOCK) and keeps every
 * line the bot said. It outlives a Redis restart: once Redis answers again it reads the (new)
 * streams from their start, and lines are kept by id, so none is counted twice.
 */
export class TranscriptWatcher {
  private readonly keys: ConversationKeys
  private readonly cursors = new Map<string, string>()
  private readonly seen = new Set<string>()
  private readonly lines = new Map<string, BotLine[]>()
  private redis: Redis | undefined
  private stopped = false
  private loop: Promise<void> | undefined

  constructor(
    private readonly redisUrl: string,
    prefix: string,
    private readonly account: string,
  ) {
    this.keys = new ConversationKeys(prefix)
  }

  /** Starts following a group (`room`) or a contact's private chat with the bot. */
  follow(chat: { room: string } | { contact: string }): void {
    const key = transcriptKey(this.keys, this.account, chat)
    if (!this.cursors.has(key)) this.cursors.set(key, '0-0')
    if (!this.redis) {
      const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: null, retryStrategy: () => 200 })
      redis.on('error', () => undefined)
      this.redis = redis
      this.loop = this.run(redis)
    }
  }

  /** The bot's lines in a followed chat so far, oldest first. */
  botLines(chat: { room: string } | { contact: string }): BotLine[] {
    return this.lines.get(transcriptKey(this.keys, this.account, chat)) ?? []
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.loop
    this.redis?.disconnect()
  }

  private async run(redis: Redis): Promise<void> {
    while (!this.stopped) {
      const keys = [...this.cursors.keys()]
      let result: StreamReply
      try {
        result = (await redis.xread(
          'COUNT',
          1000,
          'BLOCK',
          200,
          'STREAMS',
          ...keys,
          ...keys.map((k) => this.cursors.get(k)!),
        )) as StreamReply
      } catch {
        // Redis went away (a restart loses every stream): read the new streams from the start.
        for (const key of keys) this.cursors.set(key, '0-0')
        await new Promise((resolve) => setTimeout(resolve, 100))
        continue
      }
      for (const [key, entries] of result ?? []) {
        for (const [id, fields] of entries) {
          this.cursors.set(key, id)
          if (field(fields, 'self') !== '1' || this.seen.has(`${key}|${id}`)) continue
          this.seen.add(`${key}|${id}`)
          const lines = this.lines.get(key) ?? []
          lines.push({ key, id, text: field(fields, 'text'), at: Date.parse(field(fields, 'at')) || Date.now() })
          this.lines.set(key, lines)
        }
      }
    }
  }
}
