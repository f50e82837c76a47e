import { chorusEnv } from '@chorus/config'

/** The worker process's configuration. */
export const workerConfigSchema = chorusEnv.pick({
  NODE_ENV: true,
  LOG_LEVEL: true,
  PORT: true,
  DATABASE_URL: true,
  CHORUS_DB_POOL_SIZE: true,
  CHORUS_DB_PREPARED_STATEMENTS: true,
  REDIS_URL: true,
  REDIS_CLUSTER_NODES: true,
  CHORUS_REDIS_PREFIX: true,
  CHORUS_MODEL_URL: true,
  CHORUS_MODEL_NAME: true,
  CHORUS_MODEL_API_KEY: true,
  CHORUS_GGUF_PATH: true,
  CHORUS_WORKER_CONCURRENCY: true,
  CHORUS_CONTEXT_TOKENS: true,
  CHORUS_MAX_REPLY_TOKENS: true,
  CHORUS_MAX_QUEUE_WAIT_MS: true,
  CHORUS_EMBEDDING_URL: true,
  CHORUS_EMBEDDING_MODEL: true,
  CHORUS_EMBEDDING_API_KEY: true,
  WECHAT_APPID: true,
  WECHAT_SECRET: true,
  WECHAT_API_BASE: true,
  WECHAT_CONTENT_CHECK: true,
  CHORUS_GENERATION_TIMEOUT_MS: true,
  CHORUS_FIRST_TOKEN_TIMEOUT_MS: true,
})
export type WorkerConfig = typeof workerConfigSchema._output
