import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { parseEnv } from '@chorus/config'
import { demoKnowledge } from '@chorus/knowledge'
import { selectEngine, startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { panelStack } from './support/browser.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'training-data')
const admin = { email: 'admin@chorus.test', password: 'admin-password-1' }
const better = '西湖游船每天 8:00 到 17:30 开放，成人票 55 元。'

describe('training data in the panel: rated in the console, reviewed, made a dataset, and models compared', () => {
  // The pool serves two models: the inference simulator, and the knowledge answerer of a worker with no model.
  const panel = panelStack({ env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password } })
  let knowledgeWorker: RunningWorker | undefined

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    const { stack } = panel()
    const config = parseEnv(workerConfigSchema, { ...stack.env, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' })
    knowledgeWorker = await startWorker(config, await selectEngine(config), pino({ level: 'silent' }))
  }, 60_000)

  afterAll(async () => {
    await knowledgeWorker?.stop()
  })

  it('turns a corrected answer into an accepted pair and a dataset, and shows a finished comparison’s summary', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const api = await StaffClient.login(url, admin.email, admin.password)
    const bot = await stack.database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })
    const demo = demoKnowledge()
    const form = new FormData()
    form.append('file', new Blob([demo.csv], { type: 'text/csv' }), 'travel-faq.csv')
    form.append('title', demo.title)
    const uploaded = await fetch(`${url}/api/bots/${bot.id}/knowledge/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}` },
      body: form,
    })
    expect(uploaded.status).toBe(201)

    const sim = new SimulatorClient(url)
    /** Asks the bot as `from`: the conversation and the bot's answer. */
    const ask = async (from: string, text: string) => {
      await sim.say(undefined, { from, text })
      await sim.waitForBotLines({ contact: from }, 1, 15_000)
      const answer = await stack.database.db.message.findFirstOrThrow({
        where: { role: 'assistant', conversation: { botId: bot.id }, replyTo: { text } },
      })
      return { conversationId: answer.conversationId, messageId: String(answer.id) }
    }
    const conversation = { id: (await ask('Amy', '西湖游船几点开？多少钱？')).conversationId }
    // Two more candidates, rated good through the API: one to edit and add to the FAQ, one to reject.
    for (const [from, text] of [
      ['Ben', '灵隐寺门票多少钱？'],
      ['Cai', '你们卖火箭吗'],
    ] as const) {
      const answer = await ask(from, text)
      await api.ok('POST', `/api/conversations/${answer.conversationId}/messages/${answer.messageId}/rating`, { rating: 'good' }, 201)
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.addInitScript({ content: "localStorage.setItem('chorus.language', 'en')" })
    await page.goto(`${url}/`)
    await page.getByTestId('login-email').fill(admin.email)
    await page.getByTestId('login-password').fill(admin.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('inbox-tab-waiting').waitFor()
    // Strings, not functions: the test is type-checked without the DOM's types.
    await page.evaluate(`location.hash = '#/all/${conversation.id}'`)

    // The bot's answer, rated bad: the better answer is required.
    const answer = page.locator('[data-testid="message"][data-role="assistant"]').first()
    await answer.getByTestId('rate-bad').click()
    await answer.getByTestId('rate-bad-submit').click()
    await answer.getByRole('alert').waitFor()
    await answer.getByTestId('better-answer').fill(better)
    await answer.getByTestId('rate-bad-submit').click()
    await answer.locator('[data-testid="rating-recorded"][data-rating="bad"]').waitFor()
    await page.screenshot({ path: join(artifacts, '01-rated.png'), fullPage: true })

    // On the training page the correction waits as a candidate; accepted, it leaves the list.
    await page.getByTestId('nav-training').click()
    const candidate = page.getByTestId('pair-card').filter({ hasText: better })
    await candidate.waitFor()
    expect(await candidate.getByTestId('pair-question').textContent()).toBe('西湖游船几点开？多少钱？')
    await candidate.getByTestId('pair-accept').click()
    await candidate.waitFor({ state: 'detached' })
    const pair = await stack.database.db.trainingPair.findFirstOrThrow({ where: { answer: better } })
    expect(pair.status).toBe('accepted')

    // Edited, accepted and added to the bot's FAQ in one step; the other rejected.
    const edit = page.getByTestId('pair-card').filter({ hasText: '灵隐寺门票多少钱？' })
    await edit.getByTestId('pair-edit').click()
    await edit.getByTestId('pair-answer-input').fill('灵隐寺飞来峰景区门票 45 元。')
    await edit.getByTestId('pair-add-faq').check()
    await edit.getByTestId('pair-save-accept').click()
    await page.locator('[data-testid="notice"]', { hasText: 'Accepted and added to the FAQ.' }).waitFor()
    await edit.waitFor({ state: 'detached' })
    const reject = page.getByTestId('pair-card').filter({ hasText: '你们卖火箭吗' })
    await reject.getByTestId('pair-reject').click()
    await reject.waitFor({ state: 'detached' })
    const reviewed = await stack.database.db.trainingPair.findMany({ where: { source: 'rated_good' }, orderBy: { question: 'asc' } })
    expect(reviewed.map((p) => [p.question, p.answer, p.status])).toEqual(
      expect.arrayContaining([
        ['灵隐寺门票多少钱？', '灵隐寺飞来峰景区门票 45 元。', 'accepted'],
        ['你们卖火箭吗', expect.any(String), 'rejected'],
      ]),
    )
    await stack.database.db.knowledgeDocument.findFirstOrThrow({ where: { botId: bot.id, title: '补充问答' } })

    // A dataset of accepted pairs holds it, in one split or the other.
    await page.getByTestId('dataset-name').fill('Hangzhou v1')
    await page.getByTestId('dataset-create').click()
    const dataset = page.getByTestId('dataset-row').filter({ hasText: 'Hangzhou v1' })
    await dataset.waitFor()
    const sizes = [await dataset.getByTestId('dataset-train').textContent(), await dataset.getByTestId('dataset-test').textContent()]
    expect(sizes.map(Number).reduce((a, b) => a + b)).toBe(2)
    // The train split downloads as OpenAI's JSONL, one example a line, and the export is counted.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dataset.getByRole('button', { name: 'Download Hangzhou v1, Train, as openai' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('Hangzhou_v1-train-openai.jsonl')
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
    expect(lines).toHaveLength(Number(sizes[0]))
    await dataset.locator('[data-testid="dataset-exports"]', { hasText: '1' }).waitFor()
    await page.screenshot({ path: join(artifacts, '02-dataset.png'), fullPage: true })

    // A model the pool does not serve is refused with the server's words; two it serves are compared.
    await page.locator('[data-testid="pool-models-hint"]', { hasText: 'chorus-knowledge' }).waitFor({ timeout: 10_000 })
    await page.getByTestId('comparison-source').selectOption('eval:travel')
    await page.getByTestId('comparison-model-0').fill('chorus-knowledge')
    await page.getByTestId('comparison-model-1').fill('gpt-nowhere')
    await page.getByTestId('comparison-limit').fill('3')
    await page.getByTestId('comparison-start').click()
    await page.getByRole('alert').filter({ hasText: 'the pool serves no model named gpt-nowhere' }).waitFor()
    await page.getByTestId('comparison-model-1').fill('chorus-simulator')
    await page.getByTestId('comparison-start').click()
    const detail = page.locator('[data-testid="comparison-detail"][data-status="done"]')
    await detail.waitFor({ timeout: 30_000 })
    const rows = detail.getByTestId('comparison-summary-row')
    expect(await rows.count()).toBe(2)
    expect([await rows.nth(0).getAttribute('data-model'), await rows.nth(1).getAttribute('data-model')]).toEqual([
      'chorus-knowledge',
      'chorus-simulator',
    ])
    expect(await detail.getByTestId('comparison-row').count()).toBe(3)
    const facts = await rows.first().getByTestId('comparison-facts').textContent()
    expect(facts).toMatch(/^\d+%$/)
    await page.locator('[data-testid="comparison-list-row"][data-status="done"]').waitFor()
    await page.screenshot({ path: join(artifacts, '03-comparison.png'), fullPage: true })

    const saved = await waitFor(
      async () => (await stack.database.db.modelComparison.findFirst({ where: { status: 'done' } })) ?? undefined,
      5_000,
      'the comparison in the database',
    )
    expect(saved.models).toEqual(['chorus-knowledge', 'chorus-simulator'])
    await context.close()
  }, 180_000)
})
