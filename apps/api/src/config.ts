import { chorusEnv } from '@chorus/config'

/** The API process's configuration. */
export const apiConfigSchema = chorusEnv.pick({
  NODE_ENV: true,
  LOG_LEVEL: true,
  PORT: true,
  DATABASE_URL: true,
  REDIS_URL: true,
  CHORUS_REDIS_PREFIX: true,
  CHORUS_MODEL_URL: true,
  CHORUS_GGUF_PATH: true,
  CHORUS_MAX_QUEUE_WAIT_MS: true,
  WECHAT_APPID: true,
  WECHAT_SECRET: true,
  WECHAT_API_BASE: true,
  WECHAT_CONTENT_CHECK: true,
  WECHAT_PUSH_TOKEN: true,
  WECHAT_PUSH_AES_KEY: true,
  WECHAT_SUBSCRIBE_TEMPLATE_ID: true,
  CHORUS_BOT_NAME: true,
  CHORUS_USER_RATE_PER_MIN: true,
  CHORUS_GROUP_RATE_PER_MIN: true,
  CHORUS_API_KEYS: true,
  CHORUS_ADMIN_EMAIL: true,
  CHORUS_ADMIN_PASSWORD: true,
  CHORUS_MAX_REPLY_TOKENS: true,
  CHORUS_V1_MAX_TOKENS: true,
  CHORUS_SIMULATOR_TTFT_MS: true,
  CHORUS_SIMULATOR_ITL_MS: true,
  CHORUS_SIMULATOR_MAX_BATCH: true,
})
export type ApiConfig = typeof apiConfigSchema._output
