/** A message of the user's (with the reply stored for it) or of an agent, as agent assist reads the history. */
export interface HistoryEntry {
  role: 'user' | 'agent'
  text: string
  /** The message's status (`ignored`: a command, or a message the bot was not meant to answer). */
  status: string
  reply: { role: string; text: string; meta: unknown } | null
}

/** How the bot dealt with a question. */
export type BotAnswer =
  | { kind: 'answered'; text: string }
  /** The knowledge base had nothing good enough (a low-confidence reply). */
  | { kind: 'not_found' }
  /** A notice instead of an answer: the model failed, the pool was busy, the reply was blocked. */
  | { kind: 'failed' }
  /** Answered by the reply to a later question, which the same prompt held. */
  | { kind: 'with_later' }
  /** Not answered yet (sent during a handoff, or still queued). */
  | { kind: 'open' }

export interface UserQuestion {
  text: string
  answer: BotAnswer
  /** The bot answered it, itself or with a later question. */
  answered: boolean
  /** An agent has written since the user asked. */
  agentSinceAsked: boolean
}

function metaOf(meta: unknown): Record<string, unknown> {
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {}
}

function answerOf(entry: HistoryEntry): BotAnswer {
  const reply = entry.reply
  if (!reply) return { kind: entry.status === 'superseded' ? 'with_later' : 'open' }
  const meta = metaOf(reply.meta)
  if (reply.role !== 'assistant' || meta.notice !== undefined) return { kind: 'failed' }
  if (meta.confidence === 'low') return { kind: 'not_found' }
  return { kind: 'answered', text: reply.text }
}

/**
 * The user's questions in `history` (oldest first), each with how the bot answered it. Commands
 * and messages the bot ignored are not questions, nor is small talk ("你好", "谢谢").
 */
export function userQuestions(history: HistoryEntry[]): UserQuestion[] {
  const questions: UserQuestion[] = []
  for (const entry of history) {
    if (entry.role === 'agent') {
      for (const question of questions) question.agentSinceAsked = true
      continue
    }
    if (entry.status === 'ignored' || metaOf(entry.reply?.meta).smallTalk !== undefined) continue
    const answer = answerOf(entry)
    questions.push({ text: entry.text, answer, answered: answer.kind === 'answered', agentSinceAsked: false })
  }
  // A question answered with a later one is as answered as that one is.
  for (let i = questions.length - 2; i >= 0; i--) {
    if (questions[i]!.answer.kind === 'with_later') questions[i]!.answered = questions[i + 1]!.answered
  }
  return questions
}

/**
 * The questions the user still waits on, newest first, at most `max`: those since the agent last
 * wrote that the bot did not answer; when there are none, the latest question.
 */
export function openQuestions(history: HistoryEntry[], max = 3): string[] {
  const questions = userQuestions(history)
  const open = questions.filter((q) => !q.agentSinceAsked && !q.answered)
  return (open.length > 0 ? open : questions.slice(-1))
    .slice(-max)
    .reverse()
    .map((q) => q.text)
}
