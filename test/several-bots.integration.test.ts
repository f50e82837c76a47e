import { pino } from 'pino'
import { botConfigSchema, startBot, type RunningBot } from '@chorus/bot'
import { parseEnv } from '@chorus/config'
import type { SimulatorMessage } from '@chorus/protocol'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

let stack: TestStack
let helper: RunningBot

beforeAll(async () => {
  stack = await startTestStack()
  // A second WeChat account in the same deployment: its own bot process, same database, Redis and pool.
  await stack.database.db.bot.create({
    data: { name: 'Helper', settings: { outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 } } },
  })
  helper = await startBot(parseEnv(botConfigSchema, { ...stack.env, CHORUS_BOT_NAME: 'Helper' }), pino({ level: 'silent' }))
})

afterAll(async () => {
  await helper?.stop()
  await stack?.stop()
})

const post = (body: object) =>
  fetch(`${stack.api.url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

async function lines(query: string): Promise<SimulatorMessage[]> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages?${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as SimulatorMessage[]
}

describe('several bots (WeChat accounts) in one deployment', () => {
  it('answers as each account, in its own chats', async () => {
    expect((await post({ bot: 'Helper', room: 'Desk', from: 'Alice', text: '@Helper 你好' })).status).toBe(202)
    expect((await post({ bot: 'Chorus', room: 'Desk', from: 'Alice', text: '@Chorus 你好' })).status).toBe(202)
    const helperLines = await waitFor(
      async () => ((await lines('bot=Helper&room=Desk')).some((l) => l.self) ? lines('bot=Helper&room=Desk') : undefined),
      10_000,
      "Helper's reply",
    )
    const chorusLines = await waitFor(
      async () => ((await lines('bot=Chorus&room=Desk')).some((l) => l.self) ? lines('bot=Chorus&room=Desk') : undefined),
      10_000,
      "Chorus's reply",
    )
    expect(helperLines.filter((l) => l.self).map((l) => l.from)).toEqual(['Helper'])
    expect(chorusLines.filter((l) => l.self).map((l) => l.from)).toEqual(['Chorus'])
    const channels = await stack.database.db.channel.findMany({ where: { title: 'Desk' }, include: { bot: true } })
    expect(channels.map((c) => c.bot.name).sort()).toEqual(['Chorus', 'Helper'])
  })

  it('asks which account when several run and none is named, and 404s an unknown one', async () => {
    const unnamed = await post({ room: 'Desk', from: 'Alice', text: 'hi' })
    expect(unnamed.status).toBe(400)
    expect(((await unnamed.json()) as { error: { message: string } }).error.message).toContain('Helper')
    expect((await post({ bot: 'Nobody', room: 'Desk', from: 'Alice', text: 'hi' })).status).toBe(404)
    expect((await fetch(`${stack.api.url}/api/simulator/messages?bot=Nobody&room=Desk`)).status).toBe(404)
  })
})
