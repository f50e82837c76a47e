import { randomUUID } from 'node:crypto'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { BotDirectory } from './bot-directory.js'
import { ConversationRepository } from './conversation.repository.js'

// Real PostgreSQL: the bots every message needs, read once for many messages.
const store = storeFixture()

describe('the bot directory', () => {
  it('reads a bot once for the messages that need it at the same time', async () => {
    const repo = new ConversationRepository(store().database.db)
    const { id } = await repo.ensureBot('Chorus', 'You are the travel desk.')
    const bots = new BotDirectory(repo)
    const { result, counts } = await countWork(() => Promise.all(Array.from({ length: 20 }, () => bots.get(id))))
    // The bot and its model endpoint.
    expect(counts.sqlStatements).toBe(2)
    expect(new Set(result.map((bot) => bot.persona))).toEqual(new Set(['You are the travel desk.']))
  })

  it('reads again after a read that failed', async () => {
    const bots = new BotDirectory(new ConversationRepository(store().database.db))
    const id = randomUUID()
    await expect(bots.get(id)).rejects.toThrow('unknown bot')
    await store().database.db.bot.create({ data: { id, name: 'Created later' } })
    await expect(bots.get(id)).resolves.toMatchObject({ name: 'Created later' })
  })
})
