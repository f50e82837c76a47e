import type { Db } from '@chorus/db'
import type { UnansweredQuestion } from '@chorus/knowledge'

// The most recent questions read for the list; older ones past this many are left out.
const maxQuestions = 5000

/** The user messages a bot could not answer: its reply said nothing was found, or asked back. */
export class UnansweredRepository {
  constructor(private readonly db: Db) {}

  /** Bot `botId`'s unanswered questions since `since`, most recent first. */
  async since(botId: string, since: Date): Promise<UnansweredQuestion[]> {
    const rows = await this.db.message.findMany({
      where: {
        role: 'user',
        createdAt: { gte: since },
        conversation: { botId },
        reply: {
          is: { OR: [{ meta: { path: ['confidence'], equals: 'low' } }, { meta: { path: ['askedBack'], equals: '1' } }] },
        },
      },
      orderBy: { id: 'desc' },
      take: maxQuestions,
      select: { text: true, createdAt: true, reply: { select: { meta: true } } },
    })
    return rows.map((row) => ({
      text: row.text,
      at: row.createdAt,
      outcome: (row.reply?.meta as { askedBack?: string } | null)?.askedBack === '1' ? 'asked_back' : 'nothing_found',
    }))
  }
}
