// `npm run compare -- --dataset <dataset id | eval:travel> --models a,b [--judge m] [--bot NAME] [--limit N]`:
// puts the questions of a dataset's test split (or of a knowledge evaluation set) to each model
// the running pool serves, as the bot would answer them (its persona, knowledge and settings;
// the dataset's bot unless --bot names one), at the batch priority so customers go first. Prints
// each question's progress, a table with one line per model, and one JSON object as the last line.
// Reads DATABASE_URL, REDIS_URL (or REDIS_CLUSTER_NODES) and CHORUS_REDIS_PREFIX like the apps.
import { parseArgs } from 'node:util'
import pino from 'pino'
import { chorusEnv, parseEnv } from '@chorus/config'
import { ConversationKeys } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import { knowledgeFromConfig, knowledgeLookup } from '@chorus/knowledge'
import { Dispatcher, ReplyReader } from '@chorus/pool'
import { comparisonBody } from '@chorus/protocol'
import { connectRedis, redisTarget } from '@chorus/redis'
import { comparisonTable } from '../apps/api/src/features/training/model-comparison.js'
import { ComparisonRefused, ModelComparisons } from '../apps/api/src/features/training/model-comparisons.js'
import { TrainingRepository } from '../apps/api/src/features/training/training.repository.js'

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    models: { type: 'string' },
    judge: { type: 'string' },
    bot: { type: 'string' },
    limit: { type: 'string' },
  },
})
if (!values.dataset || !values.models) {
  console.error('usage: npm run compare -- --dataset <dataset id | eval:NAME> --models a,b [--judge m] [--bot NAME] [--limit N]')
  process.exit(64)
}

const config = parseEnv(chorusEnv)
const logger = pino({ level: 'warn' })
const db = createDb(config.DATABASE_URL, { poolSize: 2 })
const redis = connectRedis(redisTarget(config), { name: 'chorus-compare' })
const keys = new ConversationKeys(config.CHORUS_REDIS_PREFIX)
const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: 3_600_000, logger })
let exitCode = 0
try {
  const bot = values.bot ? await db.bot.findUnique({ where: { name: values.bot }, select: { id: true } }) : undefined
  if (values.bot && !bot) throw new ComparisonRefused(`no bot named ${values.bot}`)
  const request = comparisonBody.parse({
    ...(values.dataset.startsWith('eval:') ? { evalSet: values.dataset.slice('eval:'.length) } : { datasetId: values.dataset }),
    models: values.models.split(',').map((model) => model.trim()),
    ...(values.judge ? { judge: values.judge } : {}),
    ...(bot ? { botId: bot.id } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  })
  const comparisons = new ModelComparisons({
    db,
    dispatcher,
    replies: new ReplyReader(redisTarget(config), keys),
    knowledge: knowledgeLookup(knowledgeFromConfig(db, config)),
    training: new TrainingRepository(db),
    logger,
    maxTokens: config.CHORUS_MAX_REPLY_TOKENS,
  })
  const plan = await comparisons.plan(request)
  console.log(
    `comparing ${request.models.join(', ')} on ${plan.cases.length} questions of ${plan.source}${plan.bot ? `, as ${plan.bot.name}` : ''}`,
  )
  let done = 0
  const result = await comparisons.run(null, plan, request, (row) => {
    done++
    const scores = row.answers.map((a) => `${a.model}: ${a.error ? 'error' : `${a.facts.found}/${a.facts.of} facts, ${a.ms} ms`}`)
    console.log(`${done}/${plan.cases.length} ${row.question} — ${scores.join('; ')}`)
  })
  console.log(`\n${comparisonTable(result.summary)}`)
  console.log(JSON.stringify({ source: plan.source, models: request.models, questions: plan.cases.length, summary: result.summary }))
} catch (error) {
  console.error(error instanceof ComparisonRefused ? error.message : error)
  exitCode = 1
} finally {
  await dispatcher.close()
  redis.disconnect()
  await db.$disconnect()
}
process.exit(exitCode)
