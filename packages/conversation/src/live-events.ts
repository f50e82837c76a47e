import type { LiveConversationEvent, LiveMessageEvent, LiveTypingEvent } from '@chorus/protocol'
import type { ConversationKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'

/** What the agent console hears about, live (docs/handoff.md; the panel reads it as @chorus/protocol's `liveEvent`). */
export type LiveEvent =
  ({ type: 'conversation' } & LiveConversationEvent) | ({ type: 'message' } & LiveMessageEvent) | ({ type: 'typing' } & LiveTypingEvent)

/** The channel and message that publish `event` (for a pipeline that publishes it with other commands). */
export function liveEventMessage(keys: ConversationKeys, event: LiveEvent): [channel: string, message: string] {
  return [keys.liveEvents, JSON.stringify(event)]
}

/**
 * Publishes live events on one Redis channel; every API process relays them to its consoles.
 * The events of one turn of the event loop go out together, in order, in one pipeline.
 */
export class LiveEvents {
  private batch: { messages: Array<[string, string]>; sent: Promise<void> } | undefined

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ConversationKeys,
  ) {}

  publish(event: LiveEvent): Promise<void> {
    if (!this.batch) {
      const messages: Array<[string, string]> = []
      const sent = new Promise(setImmediate).then(async () => {
        this.batch = undefined
        const pipeline = this.redis.pipeline()
        for (const message of messages) pipeline.publish(...message)
        const results = (await pipeline.exec()) ?? []
        const failed = results.find(([error]) => error)?.[0]
        if (failed) throw failed
      })
      this.batch = { messages, sent }
    }
    this.batch.messages.push(liveEventMessage(this.keys, event))
    return this.batch.sent
  }
}
