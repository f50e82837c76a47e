import { PoolKeys } from '@chorus/pool'

/** The conversation package's Redis keys (beside the pool's, which it queues prompts on). */
export class ConversationKeys extends PoolKeys {
  /** Replies ready for a channel's delivery process, e.g. `wechat:<botId>`. */
  outbox(channel: string): string {
    return `${this.prefix}:outbox:${channel}`
  }

  /** Held while one process sweeps for work Redis lost (prompts, outbox entries). */
  get recoveryLock(): string {
    return `${this.prefix}:recovery:lock`
  }

  /** Set when a reply was announced again on its outbox, so it is not announced again at every sweep. */
  reannounced(replyId: string): string {
    return `${this.prefix}:recovery:announced:${replyId}`
  }

  /** Sorted set of staff ids by the last time their console was connected (ms). */
  get presence(): string {
    return `${this.prefix}:presence`
  }

  /** Staff who set themselves away: online, but not given new conversations. */
  get away(): string {
    return `${this.prefix}:away`
  }

  /** Pub/sub channel of live events for the agent console (conversation changes, new messages). */
  get liveEvents(): string {
    return `${this.prefix}:live`
  }

  /** Facts about one bot's WeChat account (login QR code, logged-in account), on one slot per bot. */
  bot(botId: string, name: string): string {
    return `${this.prefix}:{bot:${botId}}:${name}`
  }
}
