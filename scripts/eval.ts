// `npm run eval`: how well the knowledge answerer answers, on each evaluation set
// (packages/knowledge/data: the demo travel agency's FAQ and a hotel's). Per set: hit@1, hit@5
// and MRR of retrieval over the questions that have an answer; then, through the same decision
// and answerer the bot uses (answer, ask back, or say it found nothing), how often it answers
// with a wrong entry, refuses what it could answer, correctly refuses what it cannot, and, when
// it asks back, whether the right entry is among its choices. Runs on a throwaway database on
// DIRECT_DATABASE_URL's server (else DATABASE_URL's); `--json` prints one JSON object as the last line.
import { randomBytes } from 'node:crypto'
import { chorusEnv, parseEnv } from '@chorus/config'
import { createDb, ensureDatabase, migrate, quoteIdent } from '@chorus/db'
import { evalSets, KnowledgeAnswerer, knowledgeFromConfig, knowledgeLookup, type EvalCase, type KnowledgeBase } from '@chorus/knowledge'
import { botSettings } from '@chorus/protocol'
import pg from 'pg'

const config = parseEnv(chorusEnv)
const json = process.argv.includes('--json')
const { minScore, topK } = botSettings.parse({}).knowledge

interface SetResult {
  hit_at_1: number
  hit_at_5: number
  mrr: number
  wrong_answer_rate: number
  unanswerable_refused: number
  answerable_refused: number
  asked: number
  asked_right_choice: number
  queries: number
}

const answerer = new KnowledgeAnswerer()

/** The text the answerer sends for these sources (what the user would read). */
async function answerText(sources: Parameters<typeof answerer.generate>[0]['sources']): Promise<string> {
  return (await answerer.generate({ messages: [], maxTokens: 512, sources }, () => undefined)).text
}

async function evaluate(knowledge: KnowledgeBase, botId: string, cases: EvalCase[], answers: Map<string, string>, misses: string[]) {
  let answerable = 0
  let hit1 = 0
  let hit5 = 0
  let reciprocal = 0
  let wrong = 0
  let refused = 0
  let unanswerable = 0
  let rejected = 0
  let asked = 0
  let askedRight = 0
  for (const { query, expected } of cases) {
    const hits = await knowledge.search.search(botId, query, Math.max(5, topK))
    // What the bot does with the question: the lookup the worker and the test chat use.
    const decision = await knowledgeLookup(knowledge).answer(botId, query, { topK, minScore })
    const show = (h: (typeof hits)[number] | undefined) => (h ? `"${h.question ?? h.heading}" (${h.score.toFixed(2)})` : 'nothing')
    if (expected === null) {
      unanswerable++
      if (decision.kind === 'none') rejected++
      else misses.push(`  ${decision.kind === 'ask' ? 'asked back about' : 'answered'} the unanswerable "${query}": ${show(hits[0])}`)
      continue
    }
    answerable++
    const wanted = [expected].flat()
    const rank = hits.slice(0, 5).findIndex((h) => h.question !== null && wanted.includes(h.question)) + 1
    if (rank === 1) hit1++
    if (rank >= 1) {
      hit5++
      reciprocal += 1 / rank
    }
    if (decision.kind === 'none') {
      refused++
      misses.push(`  refused "${query}" (wanted "${wanted[0]}"; best ${show(hits[0])})`)
    } else if (decision.kind === 'ask') {
      asked++
      if (decision.questions.some((question) => wanted.includes(question))) askedRight++
      else misses.push(`  asked back about "${query}" without the right choice (wanted "${wanted[0]}")`)
    } else {
      // Right when every answer sent (one per part of a question asking several things) is the
      // answer of an entry that was asked about.
      const text = await answerText(decision.sources)
      const right = new Set(wanted.map((question) => answers.get(question)))
      if (!text.split('\n\n').every((piece) => right.has(piece))) {
        wrong++
        const used = decision.sources.some((s) => s.part !== undefined) ? decision.sources : decision.sources.slice(0, 1)
        misses.push(
          `  answered "${query}" with ${used.map((s) => `"${s.text.split('\n')[0]}"`).join(' + ')} (wanted "${wanted.join('" + "')}")`,
        )
      }
    }
  }
  const share = (n: number, of: number) => (of === 0 ? 1 : n / of)
  return {
    hit_at_1: share(hit1, answerable),
    hit_at_5: share(hit5, answerable),
    mrr: share(reciprocal, answerable),
    wrong_answer_rate: share(wrong, answerable),
    unanswerable_refused: share(rejected, unanswerable),
    answerable_refused: share(refused, answerable),
    asked: share(asked, answerable),
    asked_right_choice: share(askedRight, asked),
    queries: answerable + unanswerable,
  } satisfies SetResult
}

// Creating and dropping a database is the server's own business, not a pooler's.
const server = config.DIRECT_DATABASE_URL ?? config.DATABASE_URL
const name = `chorus_eval_${randomBytes(4).toString('hex')}`
const evalUrl = new URL(server)
evalUrl.pathname = `/${name}`
await ensureDatabase(evalUrl.toString())
await migrate(evalUrl.toString())
const db = createDb(evalUrl.toString())
try {
  const knowledge = knowledgeFromConfig(db, config)
  const embedder = Boolean(config.CHORUS_EMBEDDING_URL || config.CHORUS_EMBEDDING_GGUF)
  const sets: Record<string, SetResult> = {}
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const lines: string[] = [
    `Knowledge answerer (threshold ${minScore}, asks back from ${(minScore * 0.8).toFixed(2)}; ${embedder ? 'with' : 'without'} embeddings)`,
    '',
    'set             queries  hit@1   hit@5   MRR    wrong answers  unanswerable refused  answerable refused  asked back  right choice when asked',
  ]
  const misses: string[] = []
  const started = Date.now()
  let queries = 0
  for (const set of evalSets()) {
    const bot = await db.bot.create({ data: { name: `eval-${set.name}` } })
    await knowledge.addDocument(bot.id, { filename: set.filename, bytes: set.csv, title: set.title })
    const faqs = await db.knowledgeChunk.findMany({ where: { botId: bot.id, kind: 'faq' }, select: { question: true, answer: true } })
    const answers = new Map(faqs.map((f) => [f.question ?? '', f.answer ?? '']))
    // A held-out set's misses are counted, not listed: reading them would be tuning on them.
    const missed: string[] = []
    const result = await evaluate(knowledge, bot.id, set.cases, answers, missed)
    misses.push(`${set.name}:`, ...(set.heldOut ? [`  ${missed.length} (held out: not listed)`] : missed))
    sets[set.name] = result
    queries += result.queries
    lines.push(
      [
        set.name.padEnd(15),
        String(result.queries).padStart(7),
        pct(result.hit_at_1).padStart(6),
        pct(result.hit_at_5).padStart(7),
        result.mrr.toFixed(3).padStart(6),
        pct(result.wrong_answer_rate).padStart(14),
        pct(result.unanswerable_refused).padStart(21),
        pct(result.answerable_refused).padStart(19),
        pct(result.asked).padStart(11),
        pct(result.asked_right_choice).padStart(24),
      ].join('  '),
    )
  }
  lines.push('', `${((Date.now() - started) / queries).toFixed(1)} ms per query`, '', 'misses:', ...misses, '')
  process.stdout.write(lines.join('\n'))
  if (json) process.stdout.write(`${JSON.stringify({ sets, embeddings: embedder, threshold: minScore })}\n`)
} finally {
  await db.$disconnect()
  const maintenance = new URL(server)
  maintenance.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: maintenance.toString() })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
  await admin.end()
}
