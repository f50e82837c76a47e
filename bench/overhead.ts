import { Redis } from 'ioredis'
import { transcriptKey } from '@chorus/wechat-simulator'
import { botName, type BenchStack } from './stack.js'
import type { SimulatorHost } from './simulators.js'
import { now, percentile, printTable, round } from './support.js'
import { postSimulatorMessage, waitForBotLine } from './transcript.js'

export const overheadParams = {
  warmup: 20,
  samples: 100,
  /** Group members taking turns, so conversations have some history. */
  members: 10,
  workerConcurrency: 8,
  simulator: { ttftMs: 10, itlMs: 1, replyTokens: 8, prefillMsPerToken: 0, itlGrowthPerSequence: 0 },
}

/**
 * Figure 1: what the platform adds to one group message. Each message goes the whole way
 * (simulated WeChat → bot → PostgreSQL → queue → worker → simulator → PostgreSQL → outbox → bot →
 * the group's transcript); then the exact prompt the worker sent is replayed straight to the same
 * simulator. Messages are sequential, so neither measurement waits behind another.
 */
export async function measureOverhead(stack: BenchStack, host: SimulatorHost, redisUrl: string): Promise<Record<string, number>> {
  const p = overheadParams
  const simulator = await host.simulator(p.simulator)
  const worker = await stack.startWorker(simulator, p.workerConcurrency, 'bench-overhead')
  const reader = new Redis(redisUrl)
  const room = 'bench-overhead'
  const key = transcriptKey(stack.keys, botName, { room })
  const platform: number[] = []
  const direct: number[] = []
  try {
    for (let i = 0; i < p.warmup + p.samples; i++) {
      const started = now()
      const lineId = await postSimulatorMessage(stack.api.url, {
        room,
        from: `member-${i % p.members}`,
        text: `@Chorus question ${i}: when does the shop open on Sundays, and is there parking nearby?`,
      })
      await waitForBotLine(reader, key, lineId, 15_000)
      const platformMs = now() - started
      const prompt = await simulator.lastRequest()
      const replayed = now()
      await simulator.client.chat.completions.create({
        model: 'chorus-simulator',
        messages: prompt.messages,
        max_tokens: prompt.max_tokens,
      })
      const directMs = now() - replayed
      if (i < p.warmup) continue
      platform.push(platformMs)
      direct.push(directMs)
    }
  } finally {
    reader.disconnect()
    await worker.stop()
    await simulator.close()
  }
  const row = (name: string, values: number[]) => [name, round(percentile(values, 50)), round(percentile(values, 99))]
  const overheadP50 = percentile(platform, 50) - percentile(direct, 50)
  const overheadP99 = percentile(platform, 99) - percentile(direct, 99)
  printTable(
    `1. Platform overhead per group message (${p.samples} sequential messages after ${p.warmup} warm-up)`,
    ['path', 'p50 ms', 'p99 ms'],
    [
      row('group message → reply in transcript', platform),
      row('same prompt straight to the simulator', direct),
      ['overhead (difference)', round(overheadP50), round(overheadP99)],
    ],
  )
  return {
    overhead_p50_ms: round(overheadP50),
    overhead_p99_ms: round(overheadP99),
    message_p50_ms: round(percentile(platform, 50)),
    message_p99_ms: round(percentile(platform, 99)),
    direct_p50_ms: round(percentile(direct, 50)),
    direct_p99_ms: round(percentile(direct, 99)),
  }
}
