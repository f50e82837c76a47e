import type { ChainableCommander } from 'ioredis'
import type { RedisClient } from './connect.js'

/**
 * Commands made in one turn of the event loop, sent together in one pipeline: one round trip for
 * many. Each caller's promise settles when the pipeline is answered, rejecting with the first
 * command's failure. On a Redis Cluster a pipeline must hold one slot's keys: give it key-less
 * commands, or keys of one slot.
 */
export class TurnPipeline {
  private batch: { commands: Array<(pipeline: ChainableCommander) => void>; sent: Promise<void> } | undefined

  constructor(private readonly redis: RedisClient) {}

  /** Adds `command` to this turn's pipeline; resolves once Redis has answered it. */
  send(command: (pipeline: ChainableCommander) => void): Promise<void> {
    if (!this.batch) {
      const commands: Array<(pipeline: ChainableCommander) => void> = []
      const sent = new Promise(setImmediate).then(async () => {
        this.batch = undefined
        const pipeline = this.redis.pipeline()
        for (const add of commands) add(pipeline)
        const failed = ((await pipeline.exec()) ?? []).find(([error]) => error)?.[0]
        if (failed) throw failed
      })
      this.batch = { commands, sent }
    }
    this.batch.commands.push(command)
    return this.batch.sent
  }
}
