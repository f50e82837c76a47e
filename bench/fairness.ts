import { textOf } from '@chorus/protocol'
import { Dispatcher } from '@chorus/pool'
import { ConversationKeys } from '@chorus/conversation'
import { connectRedis } from '@chorus/redis'
import type { PromptJob } from '@chorus/protocol'
import { startPoolReplica } from './pool-replica.js'
import type { SimulatorHost } from './simulators.js'
import { percentile, printTable, round, sleep } from './support.js'

export const fairnessParams = {
  workerConcurrency: 4,
  quietPrompts: 40,
  quietIntervalMs: 100,
  floodPrompts: 400,
  simulator: { ttftMs: 20, itlMs: 5, replyTokens: 8, prefillMsPerToken: 0, maxBatch: 8 },
}

/** Each prompt's queue wait (job start − enqueue), seen as the worker starts it; prompts are tagged by their text. */
class StartLog {
  readonly waits = new Map<string, number>()
  private waiters: Array<() => void> = []

  record(job: PromptJob): void {
    this.waits.set(textOf(job.messages[0]?.content ?? ''), Date.now() - job.enqueuedAt)
    for (const waiter of [...this.waiters]) waiter()
  }

  /** Resolves once every prompt in `tags` has started. */
  until(tags: string[], timeoutMs: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`prompts did not start within ${timeoutMs} ms`)), timeoutMs)
      const check = () => {
        if (tags.some((tag) => !this.waits.has(tag))) return
        clearTimeout(timer)
        this.waiters = this.waiters.filter((waiter) => waiter !== check)
        resolve(tags.map((tag) => this.waits.get(tag)!))
      }
      this.waiters.push(check)
      check()
    })
  }
}

/**
 * Figure 6: a quiet group's queue wait while another group floods the same replica, over its
 * wait with no flood. Both groups are in the group-chat priority class, each with its own
 * fairness key.
 */
export async function measureFairness(host: SimulatorHost, redisUrl: string, redisPrefix: string): Promise<Record<string, number>> {
  const p = fairnessParams
  const keys = new ConversationKeys(`${redisPrefix}.fairness`)
  const redis = connectRedis(redisUrl)
  const simulator = await host.simulator(p.simulator)
  const log = new StartLog()
  const worker = await startPoolReplica({
    id: 'replica-0',
    redisUrl,
    keys,
    simulator,
    concurrency: p.workerConcurrency,
    onStart: (job) => log.record(job),
  })
  const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: 600_000 })
  const dispatch = (tag: string, fairnessKey: string) =>
    dispatcher.dispatch(tag, {
      origin: { kind: 'api', apiKeyId: 'bench' },
      messages: [{ role: 'user', content: tag }],
      maxTokens: p.simulator.replyTokens,
      enqueuedAt: Date.now(),
      routing: { fairnessKey, priorityClass: 'group_chat' },
    })
  /** The quiet group: one prompt every interval, on a fixed schedule. */
  const quiet = async (phase: string): Promise<number[]> => {
    const tags = Array.from({ length: p.quietPrompts }, (_, i) => `quiet-${phase}-${i}`)
    const started = Date.now()
    for (const [i, tag] of tags.entries()) {
      await sleep(started + i * p.quietIntervalMs - Date.now())
      await dispatch(tag, 'group:quiet')
    }
    return log.until(tags, 30_000)
  }
  const floodTags = Array.from({ length: p.floodPrompts }, (_, i) => `flood-${i}`)
  let alone: number[]
  let flooded: number[]
  let floodWaits: number[]
  try {
    alone = await quiet('alone')
    await Promise.all(floodTags.map((tag) => dispatch(tag, 'group:flood')))
    flooded = await quiet('flood')
    floodWaits = await log.until(floodTags, 60_000)
  } finally {
    await worker.close()
    await simulator.close()
    await dispatcher.close()
    redis.disconnect()
  }
  const ratio = percentile(flooded, 95) / Math.max(1, percentile(alone, 95))
  printTable(
    `6. Fairness: 1 replica at concurrency ${p.workerConcurrency}; a quiet group sends every ${p.quietIntervalMs} ms while another dispatches ${p.floodPrompts} prompts at once`,
    ['queue wait', 'p50 ms', 'p95 ms', 'max ms'],
    [
      ['quiet group alone', percentile(alone, 50), percentile(alone, 95), Math.max(...alone)],
      ['quiet group during the flood', percentile(flooded, 50), percentile(flooded, 95), Math.max(...flooded)],
      ['flood group', percentile(floodWaits, 50), percentile(floodWaits, 95), Math.max(...floodWaits)],
      ['ratio (quiet p95, flood / alone)', ratio.toFixed(2), '', ''],
    ],
  )
  return {
    fairness_p95_wait_ratio: round(ratio, 2),
    quiet_p95_wait_alone_ms: percentile(alone, 95),
    quiet_p95_wait_flood_ms: percentile(flooded, 95),
    flood_p95_wait_ms: percentile(floodWaits, 95),
  }
}
