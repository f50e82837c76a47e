import type OpenAI from 'openai'
import { now, printTable, round, sleep, withLoopBusy } from './support.js'
import { streamCompletion } from './streaming.js'

export const poolEfficiencyParams = {
  clients: 32,
  /** Clients start spread over this time (about one reply's duration), as users do, not in lock-step. */
  rampUpMs: 1000,
  warmupMs: 1000,
  /** Tokens are counted as they arrive within this window, after ramp-up and warm-up. */
  durationMs: 10_000,
  maxTokens: 64,
}

/** Closed-loop clients: each sends its next request as soon as its last one finished. */
async function closedLoop(client: OpenAI): Promise<{ tokensPerS: number; requests: number; busy: number }> {
  const p = poolEfficiencyParams
  const started = now()
  const windowStart = started + p.rampUpMs + p.warmupMs
  const windowEnd = windowStart + p.durationMs
  let tokens = 0
  let requests = 0
  const count = (n: number) => {
    const at = now()
    if (at >= windowStart && at < windowEnd) tokens += n
  }
  const { busy } = await withLoopBusy(() =>
    Promise.all(
      Array.from({ length: p.clients }, async (_, c) => {
        await sleep((c * p.rampUpMs) / p.clients)
        for (let n = 0; now() < windowEnd; n++) {
          await streamCompletion(client, `Client ${c}, request ${n}: tell me a short story about a lighthouse.`, p.maxTokens, count)
          if (now() < windowEnd) requests++
        }
      }),
    ),
  )
  return { tokensPerS: (tokens / p.durationMs) * 1000, requests, busy }
}

/**
 * Figure 3: tokens per second streamed through the pool (`/v1`: API → queue → worker → simulator
 * → Redis stream → API) against the same simulator driven directly at the same concurrency.
 */
export async function measurePoolEfficiency(pool: OpenAI, direct: OpenAI): Promise<Record<string, number>> {
  const p = poolEfficiencyParams
  const viaDirect = await closedLoop(direct)
  const viaPool = await closedLoop(pool)
  const efficiency = viaPool.tokensPerS / viaDirect.tokensPerS
  printTable(
    `3. Pool efficiency: ${p.clients} closed-loop streaming clients, tokens counted over ${p.durationMs / 1000} s per path, ${p.maxTokens} tokens per reply`,
    ['path', 'tokens/s', 'requests done in the window', 'event loop busy'],
    [
      ['/v1 through the pool', round(viaPool.tokensPerS, 1), viaPool.requests, `${round(viaPool.busy * 100, 0)} %`],
      ['straight to the simulator', round(viaDirect.tokensPerS, 1), viaDirect.requests, `${round(viaDirect.busy * 100, 0)} %`],
      ['efficiency (ratio)', efficiency.toFixed(3), '', ''],
    ],
  )
  return {
    pool_efficiency: round(efficiency, 4),
    pool_tokens_per_s: round(viaPool.tokensPerS, 1),
    direct_tokens_per_s: round(viaDirect.tokensPerS, 1),
  }
}
