import type { ConversationEvent, ConversationSummary } from '@chorus/protocol'
import type { MessageKey, Translate } from './i18n.js'

const channelKeys: Record<string, MessageKey> = {
  wechat_group: 'channel.wechat_group',
  wechat_private: 'channel.wechat_private',
  miniprogram: 'channel.miniprogram',
  api: 'channel.api',
  wecom_kf: 'channel.wecom_kf',
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

/** Who made a state change, in the console's words: the system, "me", a colleague's name, the user or the bot. */
export function actorLabel(actor: ConversationEvent['actor'], myId: string | undefined, t: Translate): string {
  // The system's own changes name the agent they concern (an auto-assignment): it did them, not they.
  if (actor.type === 'system') return t('role.system')
  if (myId && actor.id === myId) return t('conversation.me')
  if (actor.name) return actor.name
  const typeKey = actorTypeKeys[actor.type]
  return typeKey ? t(typeKey) : actor.type
}

const messageStatusKeys: Record<string, MessageKey> = {
  received: 'messageStatus.received',
  queued: 'messageStatus.queued',
  ignored: 'messageStatus.ignored',
  answered: 'messageStatus.answered',
  refused: 'messageStatus.refused',
  failed: 'messageStatus.failed',
  stored: 'messageStatus.stored',
  delivered: 'messageStatus.delivered',
  superseded: 'messageStatus.superseded',
  undeliverable: 'messageStatus.undeliverable',
}

/** A message's status (`delivered`…) in the console's language; an unknown one as it came. */
export function messageStatusLabel(status: string, t: Translate): string {
  const key = messageStatusKeys[status]
  return key ? t(key) : status
}

// The reasons packages/conversation records with a handoff and each state change, in English.
const reasonKeys: Record<string, MessageKey> = {
  'asked for a person': 'reason.askedForPerson',
  'the bot failed to answer': 'reason.botFailed',
  'taken over by an agent': 'reason.takenOver',
  'auto-assigned': 'reason.autoAssigned',
  claimed: 'reason.claimed',
  'released to the bot': 'reason.released',
  resolved: 'reason.resolved',
  'transferred to a team': 'reason.transferredToTeam',
}
const transferredTo = 'transferred to '

/** Why a conversation changed state, in the console's language; a reason Chorus does not record itself as it came. */
export function reasonLabel(reason: string, t: Translate): string {
  const key = reasonKeys[reason]
  if (key) return t(key)
  if (reason.startsWith(transferredTo)) return t('reason.transferredTo', { name: reason.slice(transferredTo.length) })
  return reason
}
