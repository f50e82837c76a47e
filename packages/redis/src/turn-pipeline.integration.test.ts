import { jest } from '@jest/globals'
import { redisFixture } from '../../../test/support/redis-fixture.js'
import { TurnPipeline } from './turn-pipeline.js'

// Real Redis: commands of one event-loop turn in one pipeline.
const fixture = redisFixture()

describe('TurnPipeline', () => {
  it('sends the commands of one turn in one pipeline, and a later turn in another', async () => {
    const { redis, prefix } = fixture()
    const pipelines = jest.spyOn(redis, 'pipeline')
    const turns = new TurnPipeline(redis)
    await Promise.all([1, 2, 3].map((n) => turns.send((pipeline) => pipeline.sadd(`${prefix}:set`, String(n)))))
    expect(pipelines).toHaveBeenCalledTimes(1)
    expect((await redis.smembers(`${prefix}:set`)).sort()).toEqual(['1', '2', '3'])

    await turns.send((pipeline) => pipeline.srem(`${prefix}:set`, '1'))
    expect(pipelines).toHaveBeenCalledTimes(2)
    expect(await redis.scard(`${prefix}:set`)).toBe(2)
  })

  it('rejects every caller of a turn whose pipeline had a failing command', async () => {
    const { redis, prefix } = fixture()
    await redis.set(`${prefix}:string`, 'x')
    const turns = new TurnPipeline(redis)
    const results = await Promise.allSettled([
      turns.send((pipeline) => pipeline.sadd(`${prefix}:string`, 'a')),
      turns.send((pipeline) => pipeline.sadd(`${prefix}:other`, 'b')),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })
})
