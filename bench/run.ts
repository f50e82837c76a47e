// `npm run bench [-- --json]`: the platform's figures, each against a baseline measured in the
// same run on this machine (loopback PostgreSQL and Redis). Tables go to stdout; with --json the
// last line of stdout is one JSON object with every figure.
import OpenAI from 'openai'
import { chorusEnv, parseEnv } from '@chorus/config'
import { affinityParams, measureAffinity } from './affinity.js'
import { fairnessParams, measureFairness } from './fairness.js'
import { measureOverhead, overheadParams } from './overhead.js'
import { measurePoolEfficiency, poolEfficiencyParams } from './pool-efficiency.js'
import { PrivateRedis } from '../test/faults/support/private-services.js'
import { SimulatorHost } from './simulators.js'
import { BenchStack, benchApiKey } from './stack.js'
import { createBenchDatabase, deleteRedisKeys, machine, now, round, uniqueName } from './support.js'
import { measureThroughput, measureWorkOnFourWorkers, throughputParams } from './throughput.js'
import { measureToolLoop, toolLoopParams } from './tool-loop.js'
import { measureTtft, ttftParams } from './ttft.js'

/** The simulator behind figures 3 and 4: a GPU-like server with visible token timings. */
const streamingSimulator = { ttftMs: 50, itlMs: 10, replyTokens: 64, maxBatch: 64 }
const streamingWorkerConcurrency = 48

const json = process.argv.includes('--json')
const started = now()
const { DATABASE_URL } = parseEnv(chorusEnv.pick({ DATABASE_URL: true }))
// A Redis server of the bench's own, so that INFO commandstats counts only the platform's commands.
const redis = await PrivateRedis.start()
const REDIS_URL = redis.url
const redisPrefix = uniqueName('bench')
const results: Record<string, unknown> = {}

console.log('Chorus benchmarks')
const host = machine()
console.log(`machine: ${host.cpus} × ${host.cpuModel}, ${host.memoryGb} GB, Node ${host.node}, ${host.platform}`)
const parameters = {
  overhead: overheadParams,
  throughput: throughputParams,
  poolEfficiency: { ...poolEfficiencyParams, simulator: streamingSimulator, workerConcurrency: streamingWorkerConcurrency },
  ttft: { ...ttftParams, simulator: streamingSimulator },
  affinity: affinityParams,
  fairness: fairnessParams,
  toolLoop: toolLoopParams,
}
console.log('parameters:')
for (const [figure, values] of Object.entries(parameters)) console.log(`  ${figure}: ${JSON.stringify(values)}`)

const database = await createBenchDatabase(DATABASE_URL)
const simulators = await SimulatorHost.start()
try {
  const streaming = await simulators.simulator(streamingSimulator)
  const stack = await BenchStack.start({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix, modelUrl: streaming.baseURL })
  try {
    Object.assign(results, await measureOverhead(stack, simulators, REDIS_URL))
    Object.assign(results, await measureThroughput(stack, simulators, { redisUrl: REDIS_URL, databaseUrl: database.url, redisPrefix }))
    const worker = await stack.startWorker(streaming, streamingWorkerConcurrency, 'bench-streaming')
    try {
      const pool = new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey: benchApiKey, maxRetries: 0, timeout: 60_000 })
      Object.assign(results, await measurePoolEfficiency(pool, streaming.client))
      Object.assign(results, await measureTtft(pool, streaming.client))
    } finally {
      await worker.stop()
    }
    Object.assign(results, await measureWorkOnFourWorkers(stack, simulators, { redisUrl: REDIS_URL }))
    Object.assign(results, await measureToolLoop(stack, simulators, { redisUrl: REDIS_URL, databaseUrl: database.url }))
  } finally {
    await stack.stop()
    await streaming.close()
  }
  Object.assign(results, await measureAffinity(simulators, REDIS_URL, redisPrefix))
  Object.assign(results, await measureFairness(simulators, REDIS_URL, redisPrefix))
} finally {
  await simulators.close()
  await database.drop()
  await deleteRedisKeys(REDIS_URL, redisPrefix)
  await redis.destroy()
}

const runtime = round((now() - started) / 1000, 1)
console.log(`\nfinished in ${runtime} s`)
if (json) console.log(JSON.stringify({ ...results, runtime_s: runtime, machine: host, parameters }))
