import { pino } from 'pino'
import { seedDemoKnowledge } from '@chorus/knowledge'
import { GenerationLog } from './support/generation-log.js'
import { sharedStack } from './support/shared-stack.js'
import { SimulatorClient, type Chat } from './support/simulator-client.js'
import { waitForDecided, type StoredInbound } from './support/stored-messages.js'
import type { TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

const recovered = 'recovered work the pool or an outbox had lost'

/** A logger for the whole stack that keeps its warnings (the recovery sweep's among them). */
function warningLog() {
  const lines: Array<{ msg?: string }> = []
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg?: string }) })
  return { logger, lines }
}

// The bot's own pacing, as deployed (20 lines a minute in a group: 4 at once, then one every 3 s),
// so the last answers wait their turn for longer than the recovery sweep waits for a reply.
// Nobody takes over when the knowledge base has no answer, and no "thinking" notice comes between answers.
const settings = { handoff: { failuresBeforeHandoff: 0 }, reply: { thinkingNoticeMs: 0 } }
const env = { CHORUS_USER_RATE_PER_MIN: '1000', CHORUS_GROUP_RATE_PER_MIN: '1000' }

/** One member asks `questions` in `room` as fast as WeChat delivers them. */
async function askAll(stack: TestStack, room: string, questions: string[]): Promise<void> {
  const sim = new SimulatorClient(stack.api.url)
  for (const question of questions) await sim.say(room, { from: 'Alice', text: `@Chorus ${question}` })
}

/**
 * Waits until every question of `chat` is decided and each reply stored for them is sent; checks
 * that the group got each reply once, in the order of the questions, and returns the questions.
 */
async function answeredOnce(stack: TestStack, chat: Chat, count: number, timeoutMs: number): Promise<StoredInbound[]> {
  const { db } = stack.database
  const inbound = await waitForDecided(db, chat, count, timeoutMs)
  const answered = inbound.filter((m) => m.reply)
  await waitFor(
    async () =>
      (await db.message.count({ where: { id: { in: answered.map((m) => m.reply!.id) }, status: 'delivered' } })) === answered.length,
    timeoutMs,
    'every reply sent',
  )
  const lines = await new SimulatorClient(stack.api.url).botLines(chat)
  expect(lines.map((l) => l.text)).toEqual(answered.map((m) => `@Alice ${m.reply!.text.trim()}`))
  return inbound
}

describe('a burst of questions from one member of a group', () => {
  describe('answered by the knowledge answerer (no model configured)', () => {
    const logged = warningLog()
    const stack = sharedStack({
      botSettings: settings,
      env: { ...env, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' },
      logger: logged.logger,
    })

    it('answers each question on its own, in order, once, without the recovery sweep', async () => {
      await seedDemoKnowledge(stack().database.db, 'Chorus')
      const questions = [
        '如何预订旅游线路？',
        '需要提前多久预订？',
        '预订后可以修改出行日期或人数吗？',
        '预订成功后会收到什么凭证？',
        '取消订单可以退款吗？退款规则是什么？',
        '退款多久能到账？',
        '因为天气原因行程取消了怎么办？',
        '儿童票怎么收费？',
        '婴儿可以参加一日游吗？',
        '老人有优惠吗？',
      ]
      await askAll(stack(), 'Burst with the knowledge base', questions)

      const inbound = await answeredOnce(stack(), { room: 'Burst with the knowledge base' }, questions.length, 40_000)
      expect(inbound.map((m) => [m.text, m.status])).toEqual(questions.map((q) => [q, 'answered']))
      expect(inbound.every((m) => m.reply?.role === 'assistant')).toBe(true)
      expect(logged.lines.filter((l) => l.msg === recovered)).toEqual([])
    }, 60_000)
  })

  describe('answered by a model', () => {
    const logged = warningLog()
    // About 0.3 s an answer: the questions arrive while earlier ones are being answered.
    const stack = sharedStack({ botSettings: settings, env, simulator: { ttftMs: 5, itlMs: 15, replyTokens: 20 }, logger: logged.logger })

    it('answers every question, several in one reply only when its prompt held them all', async () => {
      const generations = GenerationLog.attach(stack().simulator.replica)
      const questions = Array.from({ length: 10 }, (_, i) => `question ${i + 1}`)
      await askAll(stack(), 'Burst with a model', questions)

      const inbound = await answeredOnce(stack(), { room: 'Burst with a model' }, questions.length, 30_000)
      expect(inbound.map((m) => m.text)).toEqual(questions)
      expect(inbound.filter((m) => m.status !== 'answered' && m.status !== 'superseded')).toEqual([])
      // Each answer's prompt held its question and the superseded ones since the answer before.
      let covered: string[] = []
      for (const question of inbound) {
        covered.push(`Alice: ${question.text}`)
        if (question.status === 'superseded') continue
        const [prompt, ...again] = generations.answering(`Alice: ${question.text}`)
        expect(again).toEqual([])
        expect(prompt!.userMessages).toEqual(expect.arrayContaining(covered))
        covered = []
      }
      expect(covered).toEqual([])
      expect(logged.lines.filter((l) => l.msg === recovered)).toEqual([])
    }, 60_000)
  })
})
