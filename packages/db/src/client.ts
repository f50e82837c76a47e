import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/prisma/client.js'

export type Db = PrismaClient

/** Opens the one Prisma client an app uses, on the `pg` driver adapter (no native engine). */
export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 })
  return new PrismaClient({ adapter })
}
