import { laneConcurrency, Slots } from './slots.js'

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('a replica’s slots', () => {
  it('keeps the reserved slots for the fresh lane while the main lane fills the rest', async () => {
    const slots = new Slots(3, 1)
    await slots.take('main', 500)
    const second = await slots.take('main', 500)
    let thirdMain = false
    void slots.take('main', 500).then(() => (thirdMain = true))
    await settle()
    expect(thirdMain).toBe(false)
    // A quiet key's prompt (a better priority than the flood's backlog) gets the kept slot at once.
    const fresh = await slots.take('fresh', 100)
    fresh()
    await settle()
    expect(thirdMain).toBe(false)
    second()
    await settle()
    expect(thirdMain).toBe(true)
  })

  it('keeps a freed slot for the best waiting prompt, across lanes, until it fits', async () => {
    const slots = new Slots(4, 1)
    // The fresh lane's group chats hold every slot, and more of them wait.
    const held = await Promise.all([1, 2, 3, 4].map(() => slots.take('fresh', 400_000)))
    const order: string[] = []
    void slots.take('fresh', 400_000).then(() => order.push('group chat'))
    void slots.take('main', 1).then(() => order.push('agent assist'))
    held[0]!()
    await settle()
    // Three in use: agent assist (main) does not fit yet, and the group chat may not take its slot.
    expect(order).toEqual([])
    held[1]!()
    await settle()
    expect(order).toEqual(['agent assist', 'group chat'])
  })

  it('counts a slot given back twice once', async () => {
    const slots = new Slots(1, 0)
    const first = await slots.take('main')
    let second = false
    let third = false
    void slots.take('main').then(() => (second = true))
    void slots.take('main').then(() => (third = true))
    first()
    first()
    await settle()
    expect([second, third]).toEqual([true, false])
  })

  it('keeps one slot in eight, at least one, for prompts of a quiet key, and takes batch prompts one at a time', () => {
    expect(laneConcurrency(1)).toEqual({ main: 1, fresh: 1, batch: 1, reserved: 0 })
    expect(laneConcurrency(4)).toEqual({ main: 3, fresh: 4, batch: 1, reserved: 1 })
    expect(laneConcurrency(48)).toEqual({ main: 42, fresh: 48, batch: 1, reserved: 6 })
  })
})
