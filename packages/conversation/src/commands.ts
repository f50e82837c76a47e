/** Commands users can type (Chinese aliases included); in groups they must address the bot. */
export type Command = 'help' | 'reset' | 'human' | 'status'

const aliases: Record<string, Command> = {
  '/help': 'help',
  '/帮助': 'help',
  '/reset': 'reset',
  '/重置': 'reset',
  '/human': 'human',
  '/人工': 'human',
  '/status': 'status',
  '/状态': 'status',
}

/** Phrases that ask for a person without the slash command. */
const handoffPhrases = ['转人工', '人工客服', 'talk to a human', 'human agent']

export function parseCommand(text: string): Command | undefined {
  const trimmed = text.trim()
  const word = trimmed.split(/\s+/)[0]?.toLowerCase() ?? ''
  if (aliases[word]) return aliases[word]
  const lower = trimmed.toLowerCase()
  if (trimmed.length <= 20 && handoffPhrases.some((p) => lower.includes(p))) return 'human'
  return undefined
}
