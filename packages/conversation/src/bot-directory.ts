import { botSettings, type BotSettings } from '@chorus/protocol'
import type { ConversationRepository } from './conversation.repository.js'

export interface BotProfile {
  id: string
  name: string
  persona: string
  enabled: boolean
  settings: BotSettings
  /** The pool model (model endpoint) that answers for the bot; '' for the default pool. */
  model: string
}

const ttlMs = 2000

/**
 * Bots and their parsed settings, cached for two seconds: an admin's change (a disabled bot, a
 * new trigger) takes effect within that, without a database read per message. Callers that miss
 * the cache together share one read.
 */
export class BotDirectory {
  private readonly cache = new Map<string, { at: number; profile: Promise<BotProfile> }>()

  constructor(private readonly repo: Pick<ConversationRepository, 'findBot'>) {}

  get(botId: string): Promise<BotProfile> {
    const hit = this.cache.get(botId)
    if (hit && Date.now() - hit.at < ttlMs) return hit.profile
    const profile = this.load(botId)
    this.cache.set(botId, { at: Date.now(), profile })
    // A failed read is not kept: the next caller reads again.
    profile.catch(() => {
      if (this.cache.get(botId)?.profile === profile) this.cache.delete(botId)
    })
    return profile
  }

  private async load(botId: string): Promise<BotProfile> {
    const bot = await this.repo.findBot(botId)
    if (!bot) throw new Error(`unknown bot ${botId}`)
    // Settings written by older versions or by hand fall back to defaults field by field.
    const parsed = botSettings.safeParse(bot.settings ?? {})
    return {
      id: bot.id,
      name: bot.name,
      persona: bot.persona,
      enabled: bot.enabled,
      settings: parsed.success ? parsed.data : botSettings.parse({}),
      model: bot.modelEndpoint?.enabled ? bot.modelEndpoint.name : '',
    }
  }
}

/** The first blocked word found in `text`, case-insensitively. */
export function findBlockedWord(settings: BotSettings, text: string): string | undefined {
  const lower = text.toLowerCase()
  return settings.blockedWords.find((word) => lower.includes(word.toLowerCase()))
}
