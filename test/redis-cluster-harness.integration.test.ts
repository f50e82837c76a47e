import { Cluster, Redis } from 'ioredis'
import { startRedisCluster, type RedisClusterHarness } from './support/redis-cluster.js'

let harness: RedisClusterHarness
let cluster: Cluster

function clusterNodes(nodes: string): { host: string; port: number }[] {
  return nodes.split(',').map((address) => {
    const colon = address.lastIndexOf(':')
    return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) }
  })
}

/** Two keys in different slots, served by the same master or by two different ones. */
async function keysInTwoSlots(masters: 'same master' | 'different masters'): Promise<[string, string]> {
  const ranges = await cluster.cluster('SLOTS')
  const owner = (slot: number) => ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1]
  const first = { key: '{tag0}:counter', slot: await cluster.cluster('KEYSLOT', '{tag0}:counter') }
  for (let i = 1; ; i++) {
    const key = `{tag${i}}:counter`
    const slot = await cluster.cluster('KEYSLOT', key)
    const sameMaster = owner(slot) === owner(first.slot)
    if (slot !== first.slot && sameMaster === (masters === 'same master')) return [first.key, key]
  }
}

beforeAll(async () => {
  harness = await startRedisCluster()
  cluster = new Cluster(clusterNodes(harness.nodes))
})

afterAll(async () => {
  cluster?.disconnect()
  await harness?.stop()
})

describe('the Redis Cluster test harness', () => {
  it('describes three masters as REDIS_CLUSTER_NODES would', () => {
    expect(harness.ports).toHaveLength(3)
    expect(harness.nodes).toBe(harness.ports.map((port) => `127.0.0.1:${port}`).join(','))
  })

  it('stores keys on every master and reads them back through the cluster client', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `harness:key:${i}`)
    for (const key of keys) await cluster.set(key, `value of ${key}`)

    for (const key of keys) expect(await cluster.get(key)).toBe(`value of ${key}`)
    const masters = cluster.nodes('master')
    expect(masters).toHaveLength(3)
    for (const master of masters) expect(await master.dbsize()).toBeGreaterThan(0)
  })

  it('runs a MULTI over keys that share a hash tag', async () => {
    const results = await cluster.multi().set('{conv:1}:state', 'open').incr('{conv:1}:turns').exec()

    expect(results).toEqual([
      [null, 'OK'],
      [null, 1],
    ])
  })

  it('refuses a MULTI over keys in different slots with CROSSSLOT', async () => {
    const [first, second] = await keysInTwoSlots('same master')

    await expect(cluster.multi().incr(first).incr(second).exec()).rejects.toThrow(/CROSSSLOT/)
    expect(await cluster.exists(first)).toBe(0)
  })

  it('refuses, before sending it, a MULTI over keys that different masters serve', async () => {
    const [first, second] = await keysInTwoSlots('different masters')

    await expect(cluster.multi().incr(first).incr(second).exec()).rejects.toThrow(/same slots allocation group/)
  })

  it('delivers a message published on any node to a subscriber connected through the cluster client', async () => {
    const subscriber = cluster.duplicate()
    const received: string[] = []
    const allReceived = new Promise<void>((resolve) =>
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === 'harness:events') received.push(message)
        if (received.length === harness.ports.length) resolve()
      }),
    )
    try {
      await subscriber.subscribe('harness:events')
      for (const port of harness.ports) {
        const node = new Redis({ port, host: '127.0.0.1' })
        await node.publish('harness:events', `from ${port}`)
        node.disconnect()
      }
      await allReceived

      expect(received.sort()).toEqual(harness.ports.map((port) => `from ${port}`).sort())
    } finally {
      subscriber.disconnect()
    }
  })
})
