import type { BotSettings } from '@chorus/protocol'

/** What the channel knows about a message, before deciding whether the bot is addressed. */
export interface MessageFacts {
  group?: { id: string; name: string }
  sender: { id: string; name: string }
  /** The text with mentions of the bot removed. */
  text: string
  mentionedBot: boolean
  /** The message quotes one of the bot's own messages. */
  quotedBot: boolean
}

export type Addressing =
  | { answer: true; text: string }
  | { answer: false; reason: 'ignored contact' | 'private chats off' | 'group not allowed' | 'not addressed' }

/**
 * Decides whether the bot should answer, per its settings: in a private chat always (when
 * private chats are on); in a group, when @mentioned, when the message starts with a prefix
 * (which is removed), contains a keyword, or quotes the bot — and the group is allowed.
 */
export function decideAddressing(settings: BotSettings, facts: MessageFacts): Addressing {
  const is = (list: string[], ...names: string[]) => list.some((entry) => names.includes(entry))
  if (is(settings.ignore, facts.sender.id, facts.sender.name)) return { answer: false, reason: 'ignored contact' }
  if (!facts.group) return settings.privateChats ? { answer: true, text: facts.text } : { answer: false, reason: 'private chats off' }
  const { id, name } = facts.group
  if (is(settings.groups.deny, id, name)) return { answer: false, reason: 'group not allowed' }
  if (settings.groups.allow.length > 0 && !is(settings.groups.allow, id, name)) return { answer: false, reason: 'group not allowed' }
  const { trigger } = settings
  if (trigger.mention && facts.mentionedBot) return { answer: true, text: facts.text }
  const prefix = trigger.prefixes.find((p) => facts.text.startsWith(p))
  if (prefix) return { answer: true, text: facts.text.slice(prefix.length).trim() }
  if (trigger.quotes && facts.quotedBot) return { answer: true, text: facts.text }
  if (trigger.keywords.some((k) => facts.text.includes(k))) return { answer: true, text: facts.text }
  return { answer: false, reason: 'not addressed' }
}

const quoteSeparator = '- - - - - - - - - - - - - - -'

/**
 * WeChat shows a reply-with-quote as `「Name：quoted」`, a dashed line, then the reply; puppets
 * pass it on as text. Returns who and what was quoted, and the reply itself.
 */
export function parseQuote(text: string): { name: string; quoted: string; body: string } | undefined {
  const match = /^「([^：:」]{1,64})[：:]([\s\S]*?)」\n- - - - - - - - - - - - - - -\n([\s\S]*)$/.exec(text)
  if (!match) return undefined
  return { name: match[1]!, quoted: match[2]!, body: match[3]! }
}

/** Formats a reply that quotes `quoted` said by `name`, as WeChat does. */
export function formatQuote(name: string, quoted: string, body: string): string {
  return `「${name}：${quoted}」\n${quoteSeparator}\n${body}`
}
