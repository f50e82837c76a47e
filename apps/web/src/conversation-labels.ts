import type { Actor, ConversationSummary } from './api/types.js'
import type { MessageKey, Translate } from './i18n.js'

const channelKeys: Record<string, MessageKey> = {
  wechat_group: 'channel.wechat_group',
  wechat_private: 'channel.wechat_private',
  miniprogram: 'channel.miniprogram',
  api: 'channel.api',
}

/** The channel's kind in the console's language (an unknown kind as it came). */
export function channelKindLabel(kind: string, t: Translate): string {
  const key = channelKeys[kind]
  return key ? t(key) : kind
}

/** Who the conversation is with: the user's name, else the group's title. */
export function conversationTitle(conversation: ConversationSummary, t: Translate): string {
  return conversation.user?.displayName || conversation.channel.title || t('conversation.unknownUser')
}

/** Where it takes place: "WeChat group · Title", or just the kind for a private chat. */
export function channelLabel(conversation: ConversationSummary, t: Translate): string {
  const kind = channelKindLabel(conversation.channel.kind, t)
  return conversation.channel.title ? `${kind} · ${conversation.channel.title}` : kind
}

const actorTypeKeys: Record<string, MessageKey> = { user: 'role.user', bot: 'role.assistant', system: 'role.system' }

/** A readable name for a message author or an event's actor, whatever shape the API gave it. */
export function actorLabel(actor: Actor, myId?: string, t?: Translate): string {
  if (!actor) return ''
  if (typeof actor === 'string') return actor
  // The system's own changes name the agent they concern (an auto-assignment): it did them, not they.
  if (actor.type === 'system' && t) return t('role.system')
  if (myId && t && actor.id === myId) return t('conversation.me')
  const name = actor.displayName || actor.name
  if (name) return name
  const typeKey = actor.type ? actorTypeKeys[actor.type] : undefined
  return typeKey && t ? t(typeKey) : actor.type || actor.id || ''
}
