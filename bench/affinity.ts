import { Dispatcher, ReplyReader } from '@chorus/pool'
import { ConversationKeys } from '@chorus/conversation'
import { connectRedis } from '@chorus/redis'
import type { ChatMessage } from '@chorus/protocol'
import { startPoolReplica } from './pool-replica.js'
import type { SimulatorHost } from './simulators.js'
import { mean, now, percentile, printTable, round, sleep } from './support.js'

export const affinityParams = {
  conversations: 12,
  turns: 5,
  /** Conversations start this far apart, as people do. */
  staggerMs: 40,
  /** Between a reply and the person's next message. */
  thinkMs: 30,
  /** Characters of each conversation's own system prompt (group rules, recent context): ~1000 tokens. */
  systemPromptChars: 4000,
  workerConcurrency: 16,
  simulator: { ttftMs: 20, prefillMsPerToken: 0.5, itlMs: 5, replyTokens: 16, maxBatch: 32 },
}

const filler =
  'Members share photos of the weekend hike, ask about the schedule, and agree on where to meet. The bot answers questions about routes, weather and gear. '

function systemPrompt(conversation: string): string {
  const head = `You are the assistant of the hiking group "${conversation}". Group rules and recent context follow. `
  return (head + filler.repeat(Math.ceil(affinityParams.systemPromptChars / filler.length))).slice(0, affinityParams.systemPromptChars)
}

interface ModeResult {
  ttfts: number[]
  sameReplica: number
  followUps: number
}

/** Runs every conversation turn by turn through `dispatcher`; TTFT is dispatch → first delta on the reply stream. */
async function runConversations(dispatcher: Dispatcher, replies: ReplyReader, mode: string): Promise<ModeResult> {
  const p = affinityParams
  const result: ModeResult = { ttfts: [], sameReplica: 0, followUps: 0 }
  await Promise.all(
    Array.from({ length: p.conversations }, async (_, c) => {
      await sleep(c * p.staggerMs)
      const conversation = `${mode}-conversation-${c}`
      const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(conversation) }]
      let previousReplica: string | null = null
      for (let turn = 0; turn < p.turns; turn++) {
        messages.push({ role: 'user', content: `Turn ${turn}: what should I pack for Saturday's hike if it rains in the afternoon?` })
        const jobId = `${conversation}-turn-${turn}`
        const started = now()
        const routed = await dispatcher.dispatch(jobId, {
          origin: { kind: 'api', apiKeyId: 'bench' },
          messages: [...messages],
          maxTokens: p.simulator.replyTokens,
          enqueuedAt: Date.now(),
          routing: { conversationKey: conversation, priorityClass: 'api' },
        })
        let ttft = Number.NaN
        let text = ''
        for await (const event of replies.read(jobId, { timeoutMs: 30_000 })) {
          if (event.type === 'delta' && Number.isNaN(ttft)) ttft = now() - started
          if (event.type === 'done') text = event.text
          if (event.type === 'error') throw new Error(`${jobId}: ${event.code} ${event.message}`)
        }
        result.ttfts.push(ttft)
        if (previousReplica !== null) {
          result.followUps++
          if (routed.replicaId === previousReplica) result.sameReplica++
        }
        previousReplica = routed.replicaId
        messages.push({ role: 'assistant', content: text })
        await sleep(p.thinkMs)
      }
    }),
  )
  return result
}

/**
 * Figure 5: multi-turn conversations on two replicas, each with its own prefix cache, routed with
 * cache affinity (back to the replica that served the conversation) against round-robin.
 */
export async function measureAffinity(host: SimulatorHost, redisUrl: string, redisPrefix: string): Promise<Record<string, number>> {
  const p = affinityParams
  const keys = new ConversationKeys(`${redisPrefix}.affinity`)
  const redis = connectRedis(redisUrl)
  const simulators = await Promise.all([host.simulator(p.simulator), host.simulator(p.simulator)])
  const workers = await Promise.all(
    simulators.map((simulator, i) => startPoolReplica({ id: `replica-${i}`, redisUrl, keys, simulator, concurrency: p.workerConcurrency })),
  )
  const replies = new ReplyReader(redisUrl, keys)
  const affinity = new Dispatcher(redis, keys, { maxQueueWaitMs: 60_000, routing: 'affinity' })
  const roundRobin = new Dispatcher(redis, keys, { maxQueueWaitMs: 60_000, routing: 'round-robin' })
  let sticky: ModeResult
  let rotated: ModeResult
  try {
    // Each conversation's system prompt is its own, so neither mode finds the other's prefixes cached.
    sticky = await runConversations(affinity, replies, 'affinity')
    rotated = await runConversations(roundRobin, replies, 'round-robin')
  } finally {
    await Promise.all(workers.map((worker) => worker.close()))
    await Promise.all(simulators.map((simulator) => simulator.close()))
    await affinity.close()
    await roundRobin.close()
    replies.close()
    redis.disconnect()
  }
  const ratio = mean(sticky.ttfts) / mean(rotated.ttfts)
  const row = (name: string, r: ModeResult) => [
    name,
    round(mean(r.ttfts)),
    round(percentile(r.ttfts, 50)),
    round(percentile(r.ttfts, 95)),
    `${round((r.sameReplica / r.followUps) * 100, 0)} %`,
  ]
  printTable(
    `5. Cache affinity: ${p.conversations} conversations × ${p.turns} turns on 2 replicas (prefill ${p.simulator.prefillMsPerToken} ms/token, ~${p.systemPromptChars / 4}-token system prompts)`,
    ['routing', 'mean TTFT ms', 'p50 ms', 'p95 ms', 'follow-ups on the same replica'],
    [row('cache affinity', sticky), row('round-robin', rotated), ['ratio (mean TTFT)', ratio.toFixed(3), '', '', '']],
  )
  return {
    affinity_ttft_ratio: round(ratio, 4),
    affinity_mean_ttft_ms: round(mean(sticky.ttfts)),
    round_robin_mean_ttft_ms: round(mean(rotated.ttfts)),
  }
}
