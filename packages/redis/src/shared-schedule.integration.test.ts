import { PrivateRedis } from '../../../test/faults/support/private-services.js'
import { redisFixture } from '../../../test/support/redis-fixture.js'
import { SharedSchedule } from './shared-schedule.js'

// Real Redis and BullMQ: work scheduled from several processes runs once per interval, not once per process.
const fixture = redisFixture()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a shared schedule', () => {
  it('runs its work once per interval across the processes that registered it, and goes on when some stop', async () => {
    const { url, prefix } = fixture()
    const runs: number[] = []
    const errors: Error[] = []
    const processes = [0, 1, 2].map(
      (i) =>
        new SharedSchedule({
          redis: url,
          prefix: `${prefix}:q`,
          name: 'sweep',
          everyMs: 200,
          work: async () => void runs.push(i),
          onError: (error) => errors.push(error),
        }),
    )
    await Promise.all(processes.map((p) => p.start()))
    await sleep(2000)
    // Three processes each on their own would have run it about thirty times.
    expect(runs.length).toBeGreaterThanOrEqual(4)
    expect(runs.length).toBeLessThanOrEqual(13)

    await processes[0]!.stop()
    await processes[1]!.stop()
    const before = runs.length
    await sleep(1000)
    expect(runs.slice(before).every((i) => i === 2)).toBe(true)
    expect(runs.length - before).toBeGreaterThanOrEqual(2)
    await processes[2]!.stop()
    expect(errors).toEqual([])
  })

  it('reports a failed run and runs again at the next interval', async () => {
    const { url, prefix } = fixture()
    let calls = 0
    const errors: string[] = []
    const schedule = new SharedSchedule({
      redis: url,
      prefix: `${prefix}:q`,
      name: 'flaky',
      everyMs: 150,
      work: async () => {
        if (calls++ === 0) throw new Error('the database is away')
      },
      onError: (error) => errors.push(error.message),
    })
    await schedule.start()
    await sleep(800)
    await schedule.stop()
    expect(errors).toEqual(['the database is away'])
    expect(calls).toBeGreaterThanOrEqual(3)
  })

  it('puts its schedule back when Redis restarts without its data', async () => {
    const redis = await PrivateRedis.start()
    let runs = 0
    const schedule = new SharedSchedule({
      redis: redis.url,
      prefix: 'restart:q',
      name: 'sweep',
      everyMs: 150,
      work: async () => void runs++,
      onError: () => undefined,
    })
    try {
      await schedule.start()
      await sleep(600)
      expect(runs).toBeGreaterThan(0)
      await redis.down()
      await redis.up()
      const before = runs
      await sleep(2500)
      expect(runs - before).toBeGreaterThanOrEqual(2)
    } finally {
      await schedule.stop()
      await redis.destroy()
    }
  })
})
