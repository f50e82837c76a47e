import type { LiveConversationEvent, LiveMessageEvent, LiveTypingEvent } from '@chorus/protocol'
import type { ConversationKeys } from './keys.js'
import { TurnPipeline, type RedisClient } from '@chorus/redis'

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
  private readonly pipeline: TurnPipeline

  constructor(
    redis: RedisClient,
    private readonly keys: ConversationKeys,
  ) {
    this.pipeline = new TurnPipeline(redis)
  }

  publish(event: LiveEvent): Promise<void> {
    return this.pipeline.send((pipeline) => pipeline.publish(...liveEventMessage(this.keys, event)))
  }
}
