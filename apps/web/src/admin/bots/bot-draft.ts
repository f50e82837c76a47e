import type { Bot, BotPatch, BotSettings } from '../../api/admin-types.js'
import type { FieldIssue } from '../../api/api-error.js'

/** What the bot form edits: the bot's own fields and its whole settings. */
export interface BotDraft {
  name: string
  persona: string
  enabled: boolean
  modelEndpointId: string | null
  settings: BotSettings
}

export function draftOf(bot: Bot): BotDraft {
  return {
    name: bot.name,
    persona: bot.persona,
    enabled: bot.enabled,
    modelEndpointId: bot.modelEndpoint?.id ?? null,
    settings: bot.settings,
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Only what changed: the bot's fields, and the settings sections that differ (the API merges sections into the rest). */
export function botPatch(before: BotDraft, after: BotDraft): BotPatch {
  const patch: BotPatch = {}
  if (after.name !== before.name) patch.name = after.name.trim()
  if (after.persona !== before.persona) patch.persona = after.persona
  if (after.enabled !== before.enabled) patch.enabled = after.enabled
  if (after.modelEndpointId !== before.modelEndpointId) patch.modelEndpointId = after.modelEndpointId
  const sections = (Object.keys(after.settings) as (keyof BotSettings)[]).filter((key) => !same(after.settings[key], before.settings[key]))
  if (sections.length > 0) patch.settings = Object.fromEntries(sections.map((key) => [key, after.settings[key]])) as Partial<BotSettings>
  return patch
}

/** What each part of the bot form gets. */
export interface DraftProps {
  draft: BotDraft
  setDraft: (change: (draft: BotDraft) => BotDraft) => void
  /** The API's field errors: paths like `persona` or, for settings, `reply.maxChars`. */
  issues: FieldIssue[]
}

/** Sets one settings section (or top-level setting) of the draft. */
export function settingSetter(setDraft: DraftProps['setDraft']) {
  return <K extends keyof BotSettings>(key: K, value: BotSettings[K]) =>
    setDraft((draft) => ({ ...draft, settings: { ...draft.settings, [key]: value } }))
}
