import { laneConcurrency, Slots } from './slots.js'

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('a replica’s slots', () => {
  it('keeps the reserved slots for the fresh lane while the main lane is full', async () => {
    const slots = new Slots(3, 1)
    await slots.take('main')
    const second = await slots.take('main')
    let thirdMain = false
    void slots.take('main').then(() => (thirdMain = true))
    await settle()
    expect(thirdMain).toBe(false)
    // The kept slot goes to a fresh prompt at once.
    const fresh = await slots.take('fresh')
    fresh()
    await settle()
    expect(thirdMain).toBe(false)
    second()
    await settle()
    expect(thirdMain).toBe(true)
  })

  it('wakes a waiting fresh prompt before a waiting main one, and counts a slot given back twice once', async () => {
    const slots = new Slots(2, 1)
    const a = await slots.take('fresh')
    const b = await slots.take('fresh')
    const order: string[] = []
    void slots.take('main').then(() => order.push('main'))
    void slots.take('fresh').then(() => order.push('fresh'))
    a()
    a()
    await settle()
    expect(order).toEqual(['fresh'])
    b()
    await settle()
    expect(order).toEqual(['fresh'])
  })

  it('keeps one slot in eight, at least one, for prompts of a quiet key', () => {
    expect(laneConcurrency(1)).toEqual({ main: 1, fresh: 1, reserved: 0 })
    expect(laneConcurrency(4)).toEqual({ main: 3, fresh: 4, reserved: 1 })
    expect(laneConcurrency(48)).toEqual({ main: 42, fresh: 48, reserved: 6 })
  })
})
