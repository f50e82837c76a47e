import { Redis } from 'ioredis'
import { ConversationKeys } from '@chorus/conversation'
import { audit } from './support/delivery-audit.js'
import { report, timeToRecovery } from './support/fault-report.js'
import { expectNothingLost, faultStack, recoveryWithinMs } from './support/fault-run.js'
import { redisPrefix } from './support/fault-stack.js'
import type { ModelFault } from './support/faulty-model.js'
import { Traffic, type MiniProgramUser } from './support/traffic.js'
import { waitFor } from '../support/wait-for.js'

const keys = new ConversationKeys(redisPrefix)
// Two replicas, the second of which falls sick. A hung replica is given up on after 1.5 s without a first token.
const run = faultStack({
  name: 'inference-faults',
  workers: 2,
  model: { ttftMs: 50, itlMs: 20, replyTokens: 12 },
  env: { CHORUS_FIRST_TOKEN_TIMEOUT_MS: '1500', CHORUS_GENERATION_TIMEOUT_MS: '10000' },
})
let redis: Redis
let users: MiniProgramUser[]

beforeAll(async () => {
  redis = new Redis(run().stack.redis.url)
  users = await Promise.all(Array.from({ length: 6 }, () => run().traffic.miniProgramUser()))
})

afterAll(() => redis?.disconnect())

/** The replica id a worker registered under (from its start-up line). */
function replicaOf(worker: number): string {
  return String(run().stack.workers[worker]!.lines.find((line) => line.msg === 'worker started')?.replicaId)
}

async function isDown(replicaId: string): Promise<boolean> {
  return (await redis.hget(keys.replica(replicaId), 'down')) === '1'
}

/** A test's own traffic (its own askers and tags), stopped when `work` ends. */
async function withTraffic(name: string, work: (traffic: Traffic) => Promise<void>): Promise<void> {
  const traffic = new Traffic(run().stack, name)
  try {
    await work(traffic)
  } finally {
    for (const model of run().stack.models) model.fault = 'none'
    await traffic.stop()
  }
}

describe.each<ModelFault>(['hang', 'error', 'garbage'])('one of two inference replicas that starts to %s', (fault) => {
  it('loses nothing: its prompts are answered once by the healthy replica, and it is taken back once it heals', () =>
    withTraffic(`inf-${fault}`, async (traffic) => {
      const { stack } = run()
      const sick = stack.models[1]!
      const since = Date.now()
      sick.fault = fault
      const load = traffic.steady({ perSecond: 6, durationMs: 6000, rooms: [`Sick-${fault}`], users })
      const markedDownMs = await waitFor(
        async () => (await isDown(replicaOf(1))) && Date.now() - since,
        20_000,
        'the sick replica to be marked down',
      )
      await load
      const healedAt = Date.now()
      sick.fault = 'none'
      const served = sick.requests.none
      // A replica marked down is probed every 2 s with a one-token completion, and takes prompts again once it answers.
      const backMs = await waitFor(
        async () => {
          if (sick.requests.none === served) await traffic.group(`Sick-${fault}-after`)
          return sick.requests.none > served && Date.now() - healedAt
        },
        recoveryWithinMs,
        'the healed replica to take prompts again',
      )
      const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
      report(`one of two replicas: ${fault}`, result, { markedDownMs, backInServiceMs: backMs, sickRequests: sick.requests[fault] })
      expectNothingLost(result, stack)
      // The healthy replica answered everything: nobody needed a failure notice.
      expect(result.failed).toBe(0)
    }))
})

describe('every inference replica failing', () => {
  it('answers each question once: a clear failure notice while the replicas fail, the model once one heals', () =>
    withTraffic('inf-all', async (traffic) => {
      const { stack } = run()
      for (const model of stack.models) model.fault = 'error'
      const sending = new Promise((resolve) => setTimeout(resolve, 5000))
      const load = traffic.steady({ perSecond: 4, durationMs: 5000, rooms: ['All-sick'], users })
      // Both marked down: what is asked now waits (unrouted) for a replica to come back.
      const replicas = [replicaOf(0), replicaOf(1)]
      await waitFor(async () => (await Promise.all(replicas.map(isDown))).every(Boolean), 20_000, 'every replica to be marked down')
      await sending
      const healedAt = Date.now()
      for (const model of stack.models) model.fault = 'none'
      const recoveryMs = await timeToRecovery(traffic, 'All-sick-probe', healedAt, { timeoutMs: recoveryWithinMs })
      await load
      const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
      const waited = traffic.questions.filter((q) => q.acceptedAt! < healedAt && traffic.answersTo(q)[0]?.kind === 'reply')
      const waitedAnsweredMs = Math.max(0, ...waited.map((q) => traffic.answersTo(q)[0]!.at - healedAt))
      report('every replica failing, then healed', result, { recoveryAfterHealMs: recoveryMs, waitedAnsweredAfterHealMs: waitedAnsweredMs })
      expectNothingLost(result, stack)
      // The first questions used up their tries and got the notice; later ones waited and got the model's answer.
      expect(result.failed).toBeGreaterThan(0)
      expect(waited.length).toBeGreaterThan(0)
    }))
})
