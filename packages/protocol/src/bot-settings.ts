import { z } from 'zod'

const words = (max: number, each: number) => z.array(z.string().trim().min(1).max(each)).max(max)

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM')

/** When people answer: weekdays (0 = Sunday) and a daily window in a time zone. */
export const businessHours = z
  .object({
    timezone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'an IANA time zone such as Asia/Shanghai'),
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: clock,
    end: clock,
  })
  .refine((hours) => hours.start !== hours.end, 'start and end must differ')
export type BusinessHours = z.infer<typeof businessHours>

/** How a bot behaves; stored on the bot (admin panel), every field defaulted. */
export const botSettings = z.object({
  /** What makes the bot answer in a group (any of them). Private chats need none. */
  trigger: z
    .object({
      mention: z.boolean().default(true),
      /** e.g. ["/ai"]: a message starting with one is addressed to the bot. */
      prefixes: words(10, 20).default([]),
      /** A message containing one of these is addressed to the bot. */
      keywords: words(50, 50).default([]),
      /** Quoting one of the bot's messages addresses it. */
      quotes: z.boolean().default(true),
    })
    .prefault({}),
  /** Groups by name or id; an empty allow-list allows every group not denied. */
  groups: z.object({ allow: words(500, 100).default([]), deny: words(500, 100).default([]) }).prefault({}),
  privateChats: z.boolean().default(true),
  /** Contacts whose messages are never answered (other bots). */
  ignore: words(200, 100).default([]),
  /** One session per member inside a group, or one for the whole group. */
  sessionScope: z.enum(['member', 'group']).default('member'),
  /** History older than this (minutes) is left out of prompts; 0 keeps everything within the budget. */
  contextExpiryMinutes: z.number().int().min(0).max(43_200).default(240),
  /** A persona for one group (by name), instead of the bot's. */
  groupPersonas: z.record(z.string().max(100), z.string().max(8000)).default({}),
  language: z.enum(['zh', 'en']).default('zh'),
  reply: z
    .object({
      /** Longer replies are split at paragraph or sentence boundaries. */
      maxChars: z.number().int().min(100).max(4000).default(1500),
      partDelayMs: z.number().int().min(0).max(10_000).default(800),
      /** Send one short "thinking" notice when no reply came after this long; 0: never. */
      thinkingNoticeMs: z.number().int().min(0).max(600_000).default(8000),
    })
    .prefault({}),
  media: z
    .object({
      /** `vision`: pass images to a vision-capable model; `reply`: say images are not supported. */
      images: z.enum(['vision', 'reply', 'ignore']).default('reply'),
      /** Voice, files, links, mini-program cards, red packets. */
      other: z.enum(['reply', 'ignore']).default('ignore'),
    })
    .prefault({}),
  /** Words that make the bot refuse politely, in a question or in its own answer. */
  blockedWords: words(1000, 50).default([]),
  outgoing: z
    .object({
      perGroupPerMinute: z.number().int().min(1).max(6000).default(20),
      perAccountPerMinute: z.number().int().min(1).max(6000).default(60),
      /** Random extra wait before each message, ms. */
      jitterMs: z.number().int().min(0).max(10_000).default(600),
    })
    .prefault({}),
  invitations: z
    .object({ friends: z.enum(['accept', 'ignore']).default('ignore'), groups: z.enum(['accept', 'ignore']).default('ignore') })
    .prefault({}),
  /** Answers from the bot's knowledge base (docs/knowledge.md). */
  knowledge: z
    .object({
      /** Hits scoring below this (0–1) are not good enough: the bot says it does not know and offers a person. */
      minScore: z.number().min(0).max(1).default(0.35),
      /** How many passages go into the prompt. */
      topK: z.number().int().min(1).max(10).default(4),
      /** The bot's own synonym groups, on top of the built-in ones: each word is searched as its group's first. */
      synonyms: z
        .array(z.array(z.string().trim().min(1).max(30)).min(2).max(20))
        .max(200)
        .default([]),
    })
    .prefault({}),
  /** Messages older than this many days are deleted (0: kept). */
  retentionDays: z.number().int().min(0).max(3650).default(0),
  /** Tools the model may call while answering (docs/tools.md); MCP servers are connected in the panel. */
  tools: z
    .object({
      /** Built-in tools: search this bot's knowledge; hand the conversation to a person. */
      builtins: z.object({ searchKnowledge: z.boolean().default(false), handoff: z.boolean().default(false) }).prefault({}),
      /** Model calls per answer, tool rounds included: the last one must answer in words. */
      maxSteps: z.number().int().min(2).max(10).default(4),
      /** A tool that takes longer is given up (the model hears it timed out). */
      timeoutMs: z.number().int().min(500).max(60_000).default(10_000),
      /** A tool's result is cut to this many characters before the model reads it. */
      maxResultChars: z.number().int().min(200).max(100_000).default(8000),
    })
    .prefault({}),
  /** When a conversation goes to a person (docs/handoff.md). */
  handoff: z
    .object({
      /** A user message containing one asks for a person. */
      keywords: words(50, 50).default([]),
      /** Consecutive failed answers after which a person takes over; 0: never. */
      failuresBeforeHandoff: z.number().int().min(0).max(10).default(2),
      /** Null: people answer at any time. */
      businessHours: businessHours.nullable().default(null),
      /**
       * WeCom customer service (docs/wecom.md): `console`, agents answer in Chorus's console (the
       * session stays with the assistant); `servicers`, the session goes to WeCom's own servicers
       * and the bot stays silent until it ends.
       */
      wecom: z.enum(['console', 'servicers']).default('console'),
    })
    .prefault({}),
})
export type BotSettings = z.infer<typeof botSettings>
export type BotSettingsInput = z.input<typeof botSettings>
