import { z } from 'zod'
import { ggufFile } from './gguf-file.js'
import { modelSource } from './model-source.js'

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol)
        } catch {
          return false
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    )

/** `scheme://host[:port]` and nothing more, as a browser sends it in the Origin header. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v))

/** A comma-separated list, entries trimmed, empty ones dropped. */
const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback)

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case). */
const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' }))
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value))

/** Every variable Chorus reads, with its default. The apps pick what they need. */
export const chorusEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: int(0, 65535, 3000),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgresql://postgres@127.0.0.1:5432/chorus'),
  /**
   * The same database reached directly, not through a pooler, for migrations and creating the
   * database (`npm run db:migrate`, `npm start`), so DATABASE_URL can point at PgBouncer in
   * transaction mode. Unset, DATABASE_URL.
   */
  DIRECT_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  /** PostgreSQL connections each process keeps at most; unset, each app's own default (docs/configuration.md). */
  CHORUS_DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  /**
   * Whether the message path's statements are prepared once per connection (named statements)
   * rather than parsed and planned every time. Off behind a pooler that cannot keep them, such
   * as PgBouncer before 1.21 in transaction mode.
   */
  CHORUS_DB_PREPARED_STATEMENTS: flag(true),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** A Redis Cluster's nodes (`host:port,host:port,…`, any of them): when set, every process uses the cluster, not `REDIS_URL`. */
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .regex(/^([^\s:,]+:\d{1,5})(,\s*[^\s:,]+:\d{1,5})*$/, 'must be host:port entries separated by commas')
    .optional(),
  CHORUS_REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .default('chorus'),
  WECHATY_PUPPET: z.string().trim().min(1).default('wechaty-puppet-mock'),
  CHORUS_BOT_NAME: z.string().trim().min(1).max(64).default('Chorus'),
  CHORUS_MODEL_URL: url(['http:', 'https:']).optional(),
  CHORUS_MODEL_NAME: optionalText,
  CHORUS_MODEL_API_KEY: optionalText,
  CHORUS_GGUF_PATH: optionalText,
  /**
   * A model downloaded on first start into CHORUS_MODELS_DIR and served through node-llama-cpp: a
   * known name, hf:<owner>/<repo>/<file>.gguf or a URL. CHORUS_MODEL_URL, then CHORUS_GGUF_PATH, win over it.
   */
  CHORUS_MODEL: modelSource.optional(),
  /** The Hugging Face hub (or a mirror of it, such as https://hf-mirror.com) that CHORUS_MODEL downloads from. */
  CHORUS_MODEL_HUB_URL: url(['http:', 'https:'])
    .default('https://huggingface.co')
    .transform((value) => value.replace(/\/+$/, '')),
  /** Where CHORUS_MODEL's downloads are kept (relative to the working directory unless absolute). */
  CHORUS_MODELS_DIR: z.string().trim().min(1).default('.chorus/models'),
  CHORUS_ADMIN_EMAIL: z.email().optional(),
  CHORUS_ADMIN_PASSWORD: optionalText,
  CHORUS_API_KEYS: commaList,
  /** Browser origins (`https://host[:port]`) allowed to call the API across origins; none by default (docs/security.md). */
  CHORUS_CORS_ORIGINS: commaList.pipe(
    z.array(z.string().refine(isOrigin, 'each must be an origin such as https://chat.example.com (scheme, host, port; no path)')),
  ),
  CHORUS_WORKER_CONCURRENCY: int(1, 1024, 8),
  /** The largest max_tokens a /v1 request may ask for. */
  CHORUS_V1_MAX_TOKENS: int(1, 1_000_000, 8192),
  CHORUS_CONTEXT_TOKENS: int(64, 1_000_000, 3000),
  CHORUS_MAX_REPLY_TOKENS: int(1, 32_768, 512),
  /** New prompts whose estimated queue wait exceeds this are refused with a "busy, retry in N s" reply. */
  CHORUS_MAX_QUEUE_WAIT_MS: int(1000, 3_600_000, 60_000),
  /** Prompts one person may ask per minute (bursts up to the same number). */
  CHORUS_USER_RATE_PER_MIN: int(1, 100_000, 20),
  /** Prompts one group may ask per minute, all members together. */
  CHORUS_GROUP_RATE_PER_MIN: int(1, 100_000, 60),
  CHORUS_GENERATION_TIMEOUT_MS: int(1000, 3_600_000, 120_000),
  CHORUS_FIRST_TOKEN_TIMEOUT_MS: int(500, 600_000, 30_000),
  /** An OpenAI-compatible /v1/embeddings endpoint for knowledge retrieval (optional: full text and trigrams work without). */
  CHORUS_EMBEDDING_URL: url(['http:', 'https:']).optional(),
  CHORUS_EMBEDDING_MODEL: optionalText,
  CHORUS_EMBEDDING_API_KEY: optionalText,
  /** A local GGUF embedding model served in-process through node-llama-cpp (docs/knowledge.md); CHORUS_EMBEDDING_URL wins over it. */
  CHORUS_EMBEDDING_GGUF: ggufFile.optional(),
  CHORUS_SIMULATOR_TTFT_MS: int(0, 60_000, 150),
  CHORUS_SIMULATOR_ITL_MS: int(0, 10_000, 20),
  CHORUS_SIMULATOR_MAX_BATCH: int(1, 4096, 32),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,
  WECHAT_API_BASE: url(['http:', 'https:']).default('https://api.weixin.qq.com'),
  WECHAT_PUSH_TOKEN: optionalText,
  WECHAT_PUSH_AES_KEY: optionalText,
  /** Content security (msg_sec_check) of mini-program text, when WECHAT_APPID is set: off, or what to do when the check itself fails. */
  WECHAT_CONTENT_CHECK: z.enum(['off', 'fail-open', 'fail-closed']).default('fail-open'),
  /** The one-time subscription template that tells an offline user an agent replied (fields thing1: who, thing2: preview). */
  WECHAT_SUBSCRIBE_TEMPLATE_ID: optionalText,
  /** WeCom customer service (微信客服, docs/wecom.md): the corp id, also the callback's receiver id. */
  WECOM_CORP_ID: optionalText,
  /** The Secret of 微信客服's API (WeCom admin console → 微信客服 → API). */
  WECOM_KF_SECRET: optionalText,
  /** The callback's Token, and its EncodingAESKey (43 characters of base64). */
  WECOM_KF_TOKEN: optionalText,
  WECOM_KF_AES_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey from the WeCom admin console')
    .optional(),
  /** WeCom's API host; tests point it at a local stand-in. */
  WECOM_API_BASE: url(['http:', 'https:']).default('https://qyapi.weixin.qq.com'),
})

export type ChorusEnv = z.infer<typeof chorusEnv>
