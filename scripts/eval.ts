// `npm run eval`: how well retrieval finds the right answer on the shipped Chinese FAQ
// (packages/knowledge/data): hit@1, hit@5 and MRR over the questions that have an answer, and
// how often the unanswerable ones are correctly found to have none. Runs on a throwaway
// database on DIRECT_DATABASE_URL's server (else DATABASE_URL's); `--json` prints one JSON
// object as the last line.
import { randomBytes } from 'node:crypto'
import { chorusEnv, parseEnv } from '@chorus/config'
import { createDb, ensureDatabase, migrate, quoteIdent } from '@chorus/db'
import { demoKnowledge, evalSet, knowledgeFromConfig } from '@chorus/knowledge'
import { botSettings } from '@chorus/protocol'
import pg from 'pg'

const config = parseEnv(chorusEnv)
const json = process.argv.includes('--json')
const minScore = botSettings.parse({}).knowledge.minScore

// Creating and dropping a database is the server's own business, not a pooler's.
const server = config.DIRECT_DATABASE_URL ?? config.DATABASE_URL
const url = new URL(server)
const name = `chorus_eval_${randomBytes(4).toString('hex')}`
const evalUrl = new URL(url)
evalUrl.pathname = `/${name}`
await ensureDatabase(evalUrl.toString())
await migrate(evalUrl.toString())
const db = createDb(evalUrl.toString())
try {
  const knowledge = knowledgeFromConfig(db, config)
  const embedder = Boolean(config.CHORUS_EMBEDDING_URL)
  const bot = await db.bot.create({ data: { name: 'eval' } })
  const demo = demoKnowledge()
  await knowledge.addDocument(bot.id, { filename: 'travel-faq.csv', bytes: demo.csv, title: demo.title })

  let answerable = 0
  let hit1 = 0
  let hit5 = 0
  let reciprocal = 0
  let unanswerable = 0
  let rejected = 0
  let belowThreshold = 0
  const misses: string[] = []
  const started = Date.now()
  for (const { query, expected } of evalSet()) {
    const hits = await knowledge.search.search(bot.id, query, 5)
    if (expected === null) {
      unanswerable++
      if ((hits[0]?.score ?? 0) < minScore) rejected++
      else misses.push(`  answered the unanswerable "${query}" with "${hits[0]!.question}" (${hits[0]!.score.toFixed(2)})`)
      continue
    }
    answerable++
    if ((hits[0]?.score ?? 0) < minScore) belowThreshold++
    const rank = hits.findIndex((h) => h.question === expected) + 1
    if (rank === 1) hit1++
    if (rank >= 1) {
      hit5++
      reciprocal += 1 / rank
    } else misses.push(`  missed "${query}" (wanted "${expected}", got "${hits[0]?.question ?? 'nothing'}")`)
  }
  const result = {
    questions: answerable + unanswerable,
    hit_at_1: hit1 / answerable,
    hit_at_5: hit5 / answerable,
    mrr: reciprocal / answerable,
    no_match_correct: unanswerable === 0 ? 1 : rejected / unanswerable,
    answerable_below_threshold: belowThreshold / answerable,
    embeddings: embedder,
    ms_per_query: (Date.now() - started) / (answerable + unanswerable),
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  process.stdout.write(
    [
      `Retrieval on the demo FAQ (${answerable} answerable, ${unanswerable} unanswerable questions; threshold ${minScore}; ${embedder ? 'with' : 'without'} embeddings)`,
      `  hit@1  ${pct(result.hit_at_1)}`,
      `  hit@5  ${pct(result.hit_at_5)}`,
      `  MRR    ${result.mrr.toFixed(3)}`,
      `  no-match correctly found  ${pct(result.no_match_correct)}`,
      `  answerable questions below the threshold (the bot would offer a person)  ${pct(result.answerable_below_threshold)}`,
      `  ${result.ms_per_query.toFixed(1)} ms per query`,
      ...(misses.length ? ['misses:', ...misses] : []),
      '',
    ].join('\n'),
  )
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  await db.$disconnect()
  const maintenance = new URL(server)
  maintenance.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: maintenance.toString() })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
  await admin.end()
}
