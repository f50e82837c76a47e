import { pino } from 'pino'
import { ApiKeys, newApiKey, type StoredApiKeys } from './api-keys.js'

/** The panel's keys in memory, counting lookups and recorded uses. */
class KeysInMemory implements StoredApiKeys {
  readonly active = new Map<string, string>()
  lookups = 0
  readonly used: string[] = []

  async findActive(hash: string) {
    this.lookups++
    const id = this.active.get(hash)
    return id ? { id } : null
  }

  async markUsed(id: string) {
    this.used.push(id)
  }
}

describe('ApiKeys', () => {
  let now: number
  let stored: KeysInMemory
  let keys: ApiKeys
  const panelKey = newApiKey()

  beforeEach(() => {
    now = 1_000_000
    stored = new KeysInMemory()
    stored.active.set(panelKey.hash, 'key-1')
    keys = new ApiKeys(['sk-env'], stored, pino({ level: 'silent' }), () => now)
  })

  it('accepts a configured key by a hash prefix that reveals nothing of it, without the database', async () => {
    const id = await keys.verify('sk-env')
    expect(id).toMatch(/^[0-9a-f]{12}$/)
    expect(await keys.verify('sk-other')).toBeUndefined()
    expect(stored.lookups).toBe(0)
  })

  it('accepts a panel key by its row id and looks it up again only after ten seconds', async () => {
    expect(panelKey.key).toMatch(/^chorus_[A-Za-z0-9_-]{43}$/)
    expect(panelKey.prefix).toBe(panelKey.key.slice(0, 12))
    expect(await keys.verify(panelKey.key)).toBe('key-1')
    expect(await keys.verify(panelKey.key)).toBe('key-1')
    expect(stored.lookups).toBe(1)

    // Revoked in another process: still accepted here until the cached answer expires.
    stored.active.clear()
    now += 9_999
    expect(await keys.verify(panelKey.key)).toBe('key-1')
    now += 1
    expect(await keys.verify(panelKey.key)).toBeUndefined()
  })

  it('stops accepting a key forgotten after its revocation at once', async () => {
    await keys.verify(panelKey.key)
    stored.active.clear()
    keys.forget('key-1')
    expect(await keys.verify(panelKey.key)).toBeUndefined()
  })

  it('does not cache an answer read before a revocation it overlapped', async () => {
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const findActive = stored.findActive.bind(stored)
    stored.findActive = async (hash) => {
      const found = await findActive(hash)
      await answered
      return found
    }
    const during = keys.verify(panelKey.key)
    // Revoked while the database's answer (still active) is on its way.
    stored.active.clear()
    keys.forget('key-1')
    answer()
    expect(await during).toBe('key-1')
    stored.findActive = findActive
    expect(await keys.verify(panelKey.key)).toBeUndefined()
  })

  it('records a key’s use at most once a minute', async () => {
    for (let i = 0; i < 7; i++) {
      await keys.verify(panelKey.key)
      now += 10_000
    }
    expect(stored.used).toEqual(['key-1', 'key-1'])
  })
})
