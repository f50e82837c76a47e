import { jest } from '@jest/globals'
import { redisFixture } from '../../../test/support/redis-fixture.js'
import { ensureConsumerGroup } from './connect.js'
import { StreamAcks } from './stream-acks.js'

// Real Redis: entries of a consumer group acknowledged a window at a time.
const fixture = redisFixture()

describe('StreamAcks', () => {
  it('acknowledges the entries of one window in one XACK, and each caller hears when its entry is acknowledged', async () => {
    const { redis, prefix } = fixture()
    const key = `${prefix}:stream`
    const pending = async () => ((await redis.xpending(key, 'g')) as [number])[0]
    await ensureConsumerGroup(redis, key, 'g', '0')
    for (let i = 0; i < 5; i++) await redis.xadd(key, '*', 'n', String(i))
    const read = (await redis.xreadgroup('GROUP', 'g', 'c', 'STREAMS', key, '>')) as Array<[string, Array<[string, string[]]>]>
    const ids = read[0]![1].map(([id]) => id)
    expect(await pending()).toBe(5)

    const sent = jest.spyOn(redis, 'xack')
    const acks = new StreamAcks(redis, key, 'g', 20)
    await Promise.all(ids.slice(0, 3).map((id) => acks.ack(id)))
    expect(sent).toHaveBeenCalledTimes(1)
    expect(await pending()).toBe(2)

    // A later window is a batch of its own.
    await Promise.all(ids.slice(3).map((id) => acks.ack(id)))
    expect(sent.mock.calls).toEqual([
      [key, 'g', ...ids.slice(0, 3)],
      [key, 'g', ...ids.slice(3)],
    ])
    expect(await pending()).toBe(0)
    await acks.flush()
  })
})
