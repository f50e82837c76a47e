import type { Db } from '@chorus/db'
import type { StoredApiKeys } from '../openai/api-keys.js'

const viewSelect = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, displayName: true } },
} as const

/** The `/v1` keys created in the panel, in PostgreSQL: names, prefixes and hashes, never a key. */
export class ApiKeysRepository implements StoredApiKeys {
  constructor(private readonly db: Db) {}

  list() {
    return this.db.apiKey.findMany({ orderBy: { createdAt: 'desc' }, select: viewSelect })
  }

  create(data: { name: string; prefix: string; hash: string; createdById: string }) {
    return this.db.apiKey.create({ data, select: viewSelect })
  }

  /** Revokes a key; `missing` when there is no such key, `already` when it was revoked before. */
  async revoke(id: string): Promise<'revoked' | 'already' | 'missing'> {
    const { count } = await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } })
    if (count === 1) return 'revoked'
    return (await this.db.apiKey.count({ where: { id } })) > 0 ? 'already' : 'missing'
  }

  findActive(hash: string) {
    return this.db.apiKey.findFirst({ where: { hash, revokedAt: null }, select: { id: true } })
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } })
  }
}
