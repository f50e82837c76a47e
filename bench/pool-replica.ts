import type { PromptJob } from '@chorus/protocol'
import { OpenAICompatibleEngine } from '@chorus/llm'
import { PoolWorker } from '@chorus/pool'
import type { ConversationKeys } from '@chorus/conversation'
import type { BenchSimulator } from './simulators.js'
import { silentLogger } from './support.js'

/**
 * A pool worker without a database, for the figures that drive the pool directly: prompts are
 * API-style (they carry their messages); `onStart` sees each job as it starts.
 */
export async function startPoolReplica(options: {
  id: string
  redisUrl: string
  keys: ConversationKeys
  simulator: BenchSimulator
  concurrency: number
  onStart?: (job: PromptJob) => void
}): Promise<PoolWorker> {
  const worker = new PoolWorker({
    redis: options.redisUrl,
    keys: options.keys,
    engine: new OpenAICompatibleEngine({ baseURL: options.simulator.baseURL, model: 'chorus-simulator' }),
    concurrency: options.concurrency,
    logger: silentLogger,
    replicaId: options.id,
    prepare: async (job) => {
      options.onStart?.(job)
      return { messages: job.messages }
    },
    onComplete: async () => undefined,
    onFailure: async () => undefined,
  })
  await worker.start()
  return worker
}
