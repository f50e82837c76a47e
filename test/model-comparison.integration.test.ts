import { spawn } from 'node:child_process'
import pino from 'pino'
import { parseEnv } from '@chorus/config'
import { selectEngine, startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { sharedStack } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

interface Summary {
  model: string
  questions: number
  factsFound: number | null
  refusals: number
  errors: number
  judged?: { wins: number; losses: number; ties: number }
}

/** Runs `npm run compare`'s script against the stack; resolves with its exit status and output. */
function compare(env: Record<string, string>, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/compare.ts', ...args], {
      env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

describe('comparing models on the same questions', () => {
  // The pool serves two models: the inference simulator, and the knowledge answerer of a worker with no model.
  const stack = sharedStack({ env: admin })
  let knowledgeWorker: RunningWorker
  let root: StaffClient

  beforeAll(async () => {
    const config = parseEnv(workerConfigSchema, { ...stack().env, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' })
    knowledgeWorker = await startWorker(config, await selectEngine(config), pino({ level: 'silent' }))
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const botId = (await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
    await root.uploadDemoFaq(botId)
  })

  afterAll(async () => {
    await knowledgeWorker?.stop()
  })

  it('prints a table and a JSON line from `npm run compare`: the knowledge answerer states the reference’s facts, the simulator does not', async () => {
    const run = await compare(stack().env, [
      '--dataset',
      'eval:travel',
      '--models',
      'chorus-simulator,chorus-knowledge',
      '--bot',
      'Chorus',
      '--limit',
      '4',
    ])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('comparing chorus-simulator, chorus-knowledge on 4 questions of eval:travel, as Chorus')
    expect(lines.filter((line) => /^\d\/4 /.test(line))).toHaveLength(4)
    const header = lines.findIndex((line) => line.startsWith('model '))
    expect(lines[header]).toMatch(/^model\s+questions\s+facts found\s+mean length\s+p50 ms\s+refusals\s+errors\s+judge W\/L\/T$/)
    expect(lines[header + 2]).toMatch(/^chorus-simulator\s+4\s/)
    expect(lines[header + 3]).toMatch(/^chorus-knowledge\s+4\s/)
    const result = JSON.parse(lines.at(-1)!) as { source: string; questions: number; summary: Summary[] }
    expect(result).toMatchObject({ source: 'eval:travel', questions: 4 })
    const [simulator, knowledge] = result.summary
    expect(simulator).toMatchObject({ model: 'chorus-simulator', questions: 4, errors: 0 })
    expect(knowledge).toMatchObject({ model: 'chorus-knowledge', questions: 4, errors: 0 })
    expect(knowledge!.factsFound!).toBeGreaterThan(0.5)
    expect(knowledge!.factsFound!).toBeGreaterThan(simulator!.factsFound!)
  }, 60_000)

  it('runs a comparison from the panel’s API in the background, with a judge, and refuses a model the pool does not serve', async () => {
    const unknown = await root.call<{ error: { message: string } }>('POST', '/api/comparisons', {
      evalSet: 'travel',
      models: ['chorus-simulator', 'gpt-nowhere'],
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toContain('the pool serves no model named gpt-nowhere')

    const started = await root.ok<{ comparison: { id: string; questions: number; status: string } }>(
      'POST',
      '/api/comparisons',
      { evalSet: 'travel', models: ['chorus-knowledge', 'chorus-simulator'], judge: 'chorus-simulator', limit: 3 },
      202,
    )
    expect(started.comparison).toMatchObject({ questions: 3, status: 'running' })
    const done = await waitFor(
      async () => {
        const { comparison } = await root.ok<{ comparison: { status: string; rows: unknown[]; summary: Summary[] | null } }>(
          'GET',
          `/api/comparisons/${started.comparison.id}`,
        )
        return comparison.status === 'running' ? undefined : comparison
      },
      30_000,
      'the comparison to finish',
    )
    expect(done.status).toBe('done')
    expect(done.rows).toHaveLength(3)
    const rows = done.rows as Array<{
      reference: string
      answers: Array<{ model: string }>
      judged: Array<{ model: string; better: string }>
    }>
    expect(rows[0]!.answers.map((a) => a.model)).toEqual(['chorus-knowledge', 'chorus-simulator'])
    expect(
      rows.every((row) => row.judged.length === 1 && ['chorus-knowledge', 'chorus-simulator', 'tie'].includes(row.judged[0]!.better)),
    ).toBe(true)
    const [first, second] = done.summary!
    // The first model's record mirrors the other's.
    expect(first!.judged!.wins).toBe(second!.judged!.losses)
    expect(first!.judged!.ties).toBe(second!.judged!.ties)
    const { comparisons } = await root.ok<{ comparisons: Array<{ id: string; status: string }> }>('GET', '/api/comparisons')
    expect(comparisons[0]).toMatchObject({ id: started.comparison.id, status: 'done' })
  }, 60_000)

  it('runs a dataset’s test split, as the dataset’s bot answers', async () => {
    const botId = (await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
    const { dataset } = await root.ok<{ dataset: { id: string; test: number } }>(
      'POST',
      '/api/datasets',
      { name: 'FAQ', botId, sources: { pairs: false, faq: true }, testShare: 0.5 },
      201,
    )
    expect(dataset.test).toBeGreaterThan(0)
    const started = await root.ok<{ comparison: { id: string; questions: number } }>(
      'POST',
      '/api/comparisons',
      { datasetId: dataset.id, models: ['chorus-knowledge', 'chorus-simulator'], limit: 2 },
      202,
    )
    expect(started.comparison.questions).toBe(Math.min(2, dataset.test))
    const done = await waitFor(
      async () => {
        const { comparison } = await root.ok<{ comparison: { status: string; source: string; botId: string | null; rows: unknown[] } }>(
          'GET',
          `/api/comparisons/${started.comparison.id}`,
        )
        return comparison.status === 'running' ? undefined : comparison
      },
      30_000,
      'the comparison to finish',
    )
    expect(done).toMatchObject({ status: 'done', source: dataset.id, botId })
    expect(done.rows).toHaveLength(started.comparison.questions)
  }, 60_000)
})
