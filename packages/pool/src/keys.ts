import { hashTag, KeySpace } from '@chorus/redis'

/** The pool's Redis keys: its queues, replicas, routing state, reply streams and metrics. */
export class PoolKeys extends KeySpace {
  /** BullMQ's own key prefix. */
  get bullPrefix(): string {
    return `${this.prefix}:q`
  }

  /** A prompt's reply stream (for whoever reads it as it is written). */
  reply(jobId: string): string {
    return `${this.prefix}:reply:${jobId}`
  }

  /** Sorted set of replica ids by last heartbeat (ms); with the replicas' hashes on one slot. */
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
    return fairnessKey ? `${this.prefix}:affinity:${hashTag(fairnessKey)}:${conversationKey}` : `${this.prefix}:affinity:${conversationKey}`
  }

  /** The lane a conversation's prompts go to while it has prompts coming (tagged like its replica). */
  conversationLane(conversationKey: string, fairnessKey: string): string {
    return `${this.prefix}:lane:${hashTag(fairnessKey)}:${conversationKey}`
  }

  /** Sorted set of the prompts of one fairness key (a group, a user, an API key) queued and not finished, by when they were queued. */
  fairness(key: string): string {
    return `${this.prefix}:fair:${hashTag(key)}`
  }

  /** Pub/sub channel: job ids whose generation must stop. */
  get cancel(): string {
    return `${this.prefix}:cancel`
  }

  /**
   * Sorted set of the job ids cancelled in the last hour, by when: what a worker that (re)subscribes
   * to `cancel` reads once to know the cancellations it did not hear.
   */
  get cancellations(): string {
    return `${this.prefix}:{cancellations}`
  }

  /** Lock held while one worker moves a dead replica's prompts elsewhere. */
  rescueLock(replicaId: string): string {
    return `${this.prefix}:rescue:${replicaId}`
  }

  /** The pool's counters and histograms (one slot: they are flushed in one pipeline). */
  metrics(name: string): string {
    return `${this.prefix}:{metrics}:${name}`
  }
}

/**
 * Each replica reads three queues: `main`; `fresh` for prompts of a fairness key that had
 * nothing else pending when they were queued (slots are kept for those, so a quiet group never
 * waits for a flood's prompts to finish); and `batch` for work no customer waits for (comparing
 * models), taken one at a time and only when no other prompt waits for a slot (docs/pool.md).
 */
export type Lane = 'main' | 'fresh' | 'batch'
export const lanes: readonly Lane[] = ['main', 'fresh', 'batch']

/**
 * BullMQ queue of one replica's lane (queue names cannot contain ':'). The braces make the name
 * the hash tag of all its keys: BullMQ's scripts touch several, and each queue gets a slot of its own.
 */
export function replicaQueueName(replicaId: string, lane: Lane = 'main'): string {
  return { main: `{prompts-r-${replicaId}}`, fresh: `{prompts-f-${replicaId}}`, batch: `{prompts-b-${replicaId}}` }[lane]
}

/** Where prompts wait while no replica is live; the first replica up takes them. */
export const unroutedQueueName = '{prompts-unrouted}'
