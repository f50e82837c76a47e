export { createDb, type Db } from './client.js'
export { ensureDatabase, postgresAnswers, quoteIdent } from './database.js'
export { migrate, migrationsDir, type MigrationResult } from './migrate.js'
export { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres.js'
export { Prisma } from './generated/prisma/client.js'
export type * from './generated/prisma/client.js'
export {
  ChannelKind,
  ConversationState,
  MessageRole,
  MessageStatus,
  StaffRole,
} from './generated/prisma/enums.js'
