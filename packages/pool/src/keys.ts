/**
 * Every Redis key Chorus uses, under one configurable prefix so tests and tenants never collide.
 * On a Redis Cluster a key's slot comes from its `{hash tag}`: keys one MULTI, pipeline or script
 * touches share a tag (the replica registry, the pool's metrics, one bot's facts, one queue's
 * BullMQ keys); everything else is touched one key at a time and spreads by its own name.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** BullMQ's own key prefix. */
  get bullPrefix(): string {
    return `${this.prefix}:q`
  }

  reply(jobId: string): string {
    return `${this.prefix}:reply:${jobId}`
  }

  /** Replies ready for a channel's delivery process, e.g. `wechat:<botId>`. */
  outbox(channel: string): string {
    return `${this.prefix}:outbox:${channel}`
  }

  /** Sorted set of replica ids by last heartbeat (ms). */
  get replicas(): string {
    return `${this.prefix}:{replicas}`
  }

  /** Hash with one replica's status. */
  replica(id: string): string {
    return `${this.prefix}:{replicas}:${id}`
  }

  /**
   * The replica that last served a conversation (its KV cache holds the prefix). Tagged by the
   * conversation's fairness key, when it has one, so a dispatch reads it with the fairness set.
   */
  affinity(conversationKey: string, fairnessKey?: string): string {
    return fairnessKey
      ? `${this.prefix}:affinity:{${untagged(fairnessKey)}}:${conversationKey}`
      : `${this.prefix}:affinity:${conversationKey}`
  }

  /** Sorted set of the prompts of one fairness key (a group, a user, an API key) queued and not finished, by when they were queued. */
  fairness(key: string): string {
    return `${this.prefix}:fair:{${untagged(key)}}`
  }

  rateLimit(key: string): string {
    return `${this.prefix}:rl:${key}`
  }

  /** Pub/sub channel: job ids whose generation must stop. */
  get cancel(): string {
    return `${this.prefix}:cancel`
  }

  /** Set when a prompt was cancelled before it started. */
  cancelled(jobId: string): string {
    return `${this.prefix}:cancelled:${jobId}`
  }

  /** Lock held while one worker moves a dead replica's prompts elsewhere. */
  rescueLock(replicaId: string): string {
    return `${this.prefix}:rescue:${replicaId}`
  }

  /** Held while one process sweeps for work Redis lost (prompts, outbox entries). */
  get recoveryLock(): string {
    return `${this.prefix}:recovery:lock`
  }

  /** Set when a reply was announced again on its outbox, so it is not announced again at every sweep. */
  reannounced(replyId: string): string {
    return `${this.prefix}:recovery:announced:${replyId}`
  }

  metrics(name: string): string {
    return `${this.prefix}:{metrics}:${name}`
  }

  /** Facts about one bot's WeChat account (login QR code, logged-in account). */
  bot(botId: string, name: string): string {
    return `${this.prefix}:{bot:${botId}}:${name}`
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

  /** Pub/sub channel of signals every API process acts on (a member of staff disabled, a `/v1` key revoked). */
  get fleetSignals(): string {
    return `${this.prefix}:fleet`
  }

  /** The mini-program's WeChat access token, shared by every process. */
  get wechatToken(): string {
    return `${this.prefix}:wechat:token`
  }

  /** Pub/sub channel of messages for mini-program users with the app open. */
  get miniProgramLive(): string {
    return `${this.prefix}:mp:live`
  }

  /** Set while a mini-program user has the app open (their live stream is connected). */
  miniProgramOnline(endUserId: string): string {
    return `${this.prefix}:mp:online:${endUserId}`
  }

  /** Held by the worker process that drives replica `index` of a model endpoint. */
  endpointSlot(endpointId: string, index: number): string {
    return `${this.prefix}:endpoint-slot:${endpointId}:${index}`
  }

  simulator(name: string): string {
    return `${this.prefix}:sim:${name}`
  }

  /** One simulated WeChat account's chats and commands, on one slot (read together). */
  simulatorAccount(account: string, name: string): string {
    return `${this.prefix}:sim:{${account}}:${name}`
  }
}

/** A value put inside a hash tag, without braces of its own. */
function untagged(value: string): string {
  return value.replace(/[{}]/g, '_')
}

/**
 * Each replica reads two queues: `main`, and `fresh` for prompts of a fairness key that had
 * nothing else pending when they were queued (slots are kept for those, so a quiet group never
 * waits for a flood's prompts to finish: docs/pool.md).
 */
export type Lane = 'main' | 'fresh'
export const lanes: readonly Lane[] = ['main', 'fresh']

/**
 * BullMQ queue of one replica's lane (queue names cannot contain ':'). The braces make the name
 * the hash tag of all its keys: BullMQ's scripts touch several, and each queue gets a slot of its own.
 */
export function replicaQueueName(replicaId: string, lane: Lane = 'main'): string {
  return lane === 'main' ? `{prompts-r-${replicaId}}` : `{prompts-f-${replicaId}}`
}

/** Where prompts wait while no replica is live; the first replica up takes them. */
export const unroutedQueueName = '{prompts-unrouted}'
