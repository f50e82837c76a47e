/** Every Redis key Chorus uses, under one configurable prefix so tests and tenants never collide. */
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

  get workers(): string {
    return `${this.prefix}:workers`
  }

  simulator(name: string): string {
    return `${this.prefix}:sim:${name}`
  }
}

export const promptQueueName = 'prompts'
