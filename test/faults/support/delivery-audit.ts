import type { Db } from '@chorus/db'
import { waitFor } from '../../support/wait-for.js'
import type { Question, SeenAnswer, Traffic } from './traffic.js'

/** What became of the questions a test asked. */
export interface AuditResult {
  /** Questions a channel took (the others were refused, e.g. while the API was down, and asked again until the deadline). */
  accepted: number
  notAccepted: number
  /** Accepted questions whose asker saw exactly one reply naming their question. */
  answered: number
  /** Accepted questions whose asker saw exactly one clear failure notice instead. */
  failed: number
  /** Accepted questions not stored in PostgreSQL, or whose asker saw nothing. */
  lost: number
  /** Accepted questions stored twice, answered twice, or whose asker saw more than one answer. */
  duplicated: number
  /** From acceptance to the answer the asker saw, ms, for answered questions. */
  latenciesMs: number[]
  /** One line per question that was lost, duplicated or wrongly answered. */
  problems: string[]
}

const tagPattern = /#[\w-]+/g

/** A question as PostgreSQL has it, with its reply. */
interface StoredQuestion {
  status: string
  reply: { role: string; status: string; meta: unknown } | null
}

/** Stored inbound questions (by tag) with their replies. */
async function storedByTag(db: Db): Promise<Map<string, StoredQuestion[]>> {
  const rows = await db.message.findMany({
    where: { role: 'user' },
    select: { text: true, status: true, reply: { select: { role: true, status: true, meta: true } } },
  })
  const byTag = new Map<string, StoredQuestion[]>()
  for (const row of rows) {
    const tag = row.text.match(tagPattern)?.at(-1)
    if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), row])
  }
  return byTag
}

/**
 * Waits (up to `timeoutMs`) until every accepted question's asker has seen an answer, lets
 * `settleMs` pass for any second answer to show up, then checks each question against
 * PostgreSQL and what its asker saw: stored once, one reply (or one failure notice) stored and
 * delivered, exactly one answer seen.
 */
export async function audit(traffic: Traffic, db: Db, options: { timeoutMs: number; settleMs?: number }): Promise<AuditResult> {
  const accepted = traffic.questions.filter((q) => q.acceptedAt !== undefined)
  await waitFor(
    async () => accepted.every((q) => traffic.answersTo(q).length > 0),
    options.timeoutMs,
    'every accepted question to be answered',
  ).catch(() => undefined)
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 1500))
  const stored = await storedByTag(db)
  const result: AuditResult = {
    accepted: accepted.length,
    notAccepted: traffic.questions.length - accepted.length,
    answered: 0,
    failed: 0,
    lost: 0,
    duplicated: 0,
    latenciesMs: [],
    problems: [],
  }
  for (const q of accepted) {
    const seen = traffic.answersTo(q)
    const rows = q.channel === 'v1' ? [] : (stored.get(q.tag) ?? [])
    const verdict = judge(q, seen, rows)
    if (verdict === 'answered') {
      result.answered++
      result.latenciesMs.push(seen[0]!.at - q.acceptedAt!)
    } else if (verdict === 'failed') {
      result.failed++
    } else {
      if (verdict.lost) result.lost++
      else result.duplicated++
      result.problems.push(`${q.tag} (${q.channel}): ${verdict.why}; seen ${JSON.stringify(seen.map((s) => s.text))}`)
    }
  }
  return result
}

function judge(q: Question, seen: SeenAnswer[], rows: StoredQuestion[]): 'answered' | 'failed' | { lost: boolean; why: string } {
  if (q.channel !== 'v1') {
    if (rows.length === 0) return { lost: true, why: 'not stored in PostgreSQL' }
    if (rows.length > 1) return { lost: false, why: `stored ${rows.length} times` }
    const reply = rows[0]!.reply
    if (!reply) return { lost: true, why: `no reply stored (status ${rows[0]!.status})` }
    if (reply.status !== 'delivered') return { lost: true, why: `reply stored but ${reply.status}` }
  }
  if (seen.length === 0) return { lost: true, why: 'the asker saw no answer' }
  if (seen.length > 1) return { lost: false, why: `the asker saw ${seen.length} answers` }
  if (seen[0]!.kind === 'other') return { lost: true, why: 'the answer names another question' }
  if (seen[0]!.kind === 'reply') return 'answered'
  // A failure the asker saw is the one failure notice stored for the question (/v1 stores nothing).
  const notice = (rows[0]?.reply?.meta as { notice?: string } | undefined)?.notice
  if (q.channel !== 'v1' && notice !== 'failure')
    return { lost: true, why: `a failure seen, but the stored reply is no failure notice (${notice})` }
  return 'failed'
}
