import type { ConversationState, MessageRole } from '@chorus/db'
import type { ConversationKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'

/** What the agent console hears about, live (docs/handoff.md). */
export type LiveEvent =
  | { type: 'conversation'; id: string; state: ConversationState; assigneeId: string | null; botId: string; teamId: string | null }
  | { type: 'message'; conversationId: string; id: string; role: MessageRole; botId: string }
  | { type: 'typing'; conversationId: string; staffId: string; botId: string }

/** The channel and message that publish `event` (for a pipeline that publishes it with other commands). */
export function liveEventMessage(keys: ConversationKeys, event: LiveEvent): [channel: string, message: string] {
  return [keys.liveEvents, JSON.stringify(event)]
}

/** Publishes live events on one Redis channel; every API process relays them to its consoles. */
export class LiveEvents {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ConversationKeys,
  ) {}

  async publish(event: LiveEvent): Promise<void> {
    await this.redis.publish(...liveEventMessage(this.keys, event))
  }
}
