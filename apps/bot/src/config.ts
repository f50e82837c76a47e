import { chorusEnv } from '@chorus/config'

/** The bot process's configuration. */
export const botConfigSchema = chorusEnv.pick({
  NODE_ENV: true,
  LOG_LEVEL: true,
  DATABASE_URL: true,
  CHORUS_DB_POOL_SIZE: true,
  CHORUS_DB_PREPARED_STATEMENTS: true,
  REDIS_URL: true,
  REDIS_CLUSTER_NODES: true,
  CHORUS_REDIS_PREFIX: true,
  WECHATY_PUPPET: true,
  CHORUS_BOT_NAME: true,
  CHORUS_MAX_QUEUE_WAIT_MS: true,
  CHORUS_USER_RATE_PER_MIN: true,
  CHORUS_GROUP_RATE_PER_MIN: true,
  CHORUS_MAX_REPLY_TOKENS: true,
})
export type BotConfig = typeof botConfigSchema._output
