import { Redis } from 'ioredis'
import type OpenAI from 'openai'
import { createDb, type Prisma } from '@chorus/db'
import { McpConnections, type McpServerAddress } from '@chorus/tools'
import { startTestMcpServer } from '@chorus/tools/testing'
import { transcriptKey } from '@chorus/wechat-simulator'
import { botName, type BenchStack } from './stack.js'
import type { SimulatorHost } from './simulators.js'
import { now, percentile, printTable, round } from './support.js'
import { postSimulatorMessage, waitForBotLine } from './transcript.js'

export const toolLoopParams = {
  warmup: 10,
  samples: 50,
  workerConcurrency: 8,
  simulator: { ttftMs: 10, itlMs: 1, replyTokens: 8, prefillMsPerToken: 0, itlGrowthPerSequence: 0 },
}

/**
 * A group question answered through a tool: the bot's model calls `get_order` on an MCP server
 * (the SDK-built test server, in this process), then answers from its result (the inference
 * simulator's tool-call rule, docs/inference-simulator.md). Baseline: the same two model requests
 * and the same tool call, made straight, one after the other.
 */
export async function measureToolLoop(stack: BenchStack, host: SimulatorHost, options: { redisUrl: string; databaseUrl: string }) {
  const p = toolLoopParams
  const mcp = await startTestMcpServer()
  const connections = new McpConnections({})
  const address: McpServerAddress = { id: 'bench-travel', url: mcp.url, transport: 'streamable_http', headers: {}, updatedAt: new Date(0) }
  const db = createDb(options.databaseUrl, { poolSize: 1 })
  const bot = await db.bot.findUniqueOrThrow({ where: { name: botName } })
  const server = await db.mcpServer.create({
    data: {
      botId: bot.id,
      name: 'travel',
      url: mcp.url,
      tools: (await connections.listTools(address)) as Prisma.InputJsonValue,
      allowed: { get_order: { confirm: false } },
    },
  })
  const simulator = await host.simulator(p.simulator)
  const worker = await stack.startWorker(simulator, p.workerConcurrency, 'bench-tools')
  const reader = new Redis(options.redisUrl)
  const room = 'bench-tools'
  const key = transcriptKey(stack.keys, botName, { room })
  const platform: number[] = []
  const direct: number[] = []
  const members = ['Ann', 'Ben', 'Cai', 'Dora', 'Eli']
  try {
    for (let i = 0; i < p.warmup + p.samples; i++) {
      const started = now()
      // Names without digits: the simulator takes the first token with a digit in the prompt's last line for the order id.
      const from = members[i % members.length]!
      const lineId = await postSimulatorMessage(stack.api.url, { room, from, text: `@Chorus 订单 A1024 到哪了？第 ${i} 次问` })
      const line = await waitForBotLine(reader, key, lineId, 15_000)
      const platformMs = now() - started
      if (!line.text.includes('西湖一日游')) throw new Error(`the bot did not answer from the tool: ${line.text}`)
      // The second model request holds the first (its messages less the call and its result) and the tool call.
      // The worker streams; the baseline reads whole answers, as the other figures' baselines do.
      const {
        stream: _stream,
        stream_options: _options,
        ...sent
      } = (await simulator.lastRequest()) as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming
      const answer: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = sent
      const replayed = now()
      const asked = await simulator.client.chat.completions.create({ ...answer, messages: answer.messages.slice(0, -2) })
      const call = asked.choices[0]!.message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall
      await connections.callTool(address, call.function.name, JSON.parse(call.function.arguments) as Record<string, unknown>, {
        timeoutMs: 10_000,
      })
      await simulator.client.chat.completions.create(answer)
      const directMs = now() - replayed
      if (i < p.warmup) continue
      platform.push(platformMs)
      direct.push(directMs)
    }
  } finally {
    reader.disconnect()
    await worker.stop()
    await simulator.close()
    // Later figures' prompts offer no tools.
    await db.mcpServer.delete({ where: { id: server.id } })
    await db.$disconnect()
    await connections.close()
    await mcp.close()
  }
  const row = (name: string, values: number[]) => [name, round(percentile(values, 50)), round(percentile(values, 99))]
  const overheadP50 = percentile(platform, 50) - percentile(direct, 50)
  printTable(
    `7. A question answered through a tool (${p.samples} sequential messages after ${p.warmup} warm-up)`,
    ['path', 'p50 ms', 'p99 ms'],
    [
      row('group message → tool call → reply in transcript', platform),
      row('same two model requests and tool call, straight', direct),
      ['overhead (difference, p50)', round(overheadP50), ''],
    ],
  )
  return {
    tool_answer_overhead_p50_ms: round(overheadP50),
    tool_answer_p50_ms: round(percentile(platform, 50)),
    tool_answer_direct_p50_ms: round(percentile(direct, 50)),
  }
}
