import type OpenAI from 'openai'
import { percentile, printTable, round } from './support.js'
import { streamCompletion } from './streaming.js'

export const ttftParams = { warmup: 5, samples: 40, maxTokens: 2 }

/**
 * Figure 4: time to first token of a streaming `/v1/chat/completions` through the pool, against
 * the same request straight to the simulator. Sequential, alternating the two paths.
 */
export async function measureTtft(pool: OpenAI, direct: OpenAI): Promise<Record<string, number>> {
  const p = ttftParams
  const viaPool: number[] = []
  const viaDirect: number[] = []
  for (let i = 0; i < p.warmup + p.samples; i++) {
    const content = `Request ${i}: what is the capital of France?`
    const pooled = await streamCompletion(pool, content, p.maxTokens)
    const straight = await streamCompletion(direct, content, p.maxTokens)
    if (i < p.warmup) continue
    viaPool.push(pooled.ttftMs)
    viaDirect.push(straight.ttftMs)
  }
  const overhead = percentile(viaPool, 50) - percentile(viaDirect, 50)
  printTable(
    `4. Time to first token, streaming (${p.samples} sequential requests per path after ${p.warmup} warm-up)`,
    ['path', 'p50 ms', 'p99 ms'],
    [
      ['/v1 through the pool', round(percentile(viaPool, 50)), round(percentile(viaPool, 99))],
      ['straight to the simulator', round(percentile(viaDirect, 50)), round(percentile(viaDirect, 99))],
      ['overhead (p50 difference)', round(overhead), ''],
    ],
  )
  return {
    ttft_overhead_ms: round(overhead),
    ttft_pool_p50_ms: round(percentile(viaPool, 50)),
    ttft_direct_p50_ms: round(percentile(viaDirect, 50)),
  }
}
