import { PoolHarness } from '../../../test/support/pool-harness.js'
import { countWork } from '../../../test/support/work-counts.js'

// What one dispatch costs in Redis must not depend on how many replicas serve the model.

describe('dispatch cost', () => {
  /** Round trips to Redis for `n` dispatches with `replicas` live replicas, after a warm-up. */
  async function roundTripsFor(replicas: number, n: number): Promise<{ roundTrips: number; perReplica: Map<string, number> }> {
    const harness = await PoolHarness.create({ loadsMaxAgeMs: 60_000 })
    try {
      for (let i = 0; i < replicas; i++) await harness.addSilentReplica(`r${i}`)
      for (let i = 0; i < replicas; i++) await harness.dispatch(`warm-${i}`, { fairnessKey: `g-warm-${i}` })
      const { result, counts } = await countWork(async () => {
        const perReplica = new Map<string, number>()
        for (let i = 0; i < n; i++) {
          const { replicaId } = await harness.dispatch(`p-${i}`, { fairnessKey: `g-${i}`, priorityClass: 'group_chat' })
          perReplica.set(replicaId!, (perReplica.get(replicaId!) ?? 0) + 1)
        }
        return perReplica
      })
      return { roundTrips: counts.redisRoundTrips, perReplica: result }
    } finally {
      await harness.stop()
    }
  }

  it('does not grow with the number of replicas, and spreads prompts by the loads it keeps', async () => {
    const one = await roundTripsFor(1, 20)
    const four = await roundTripsFor(4, 20)
    expect(four.roundTrips).toBe(one.roundTrips)
    expect([...four.perReplica.values()]).toEqual([5, 5, 5, 5])
  })
})
