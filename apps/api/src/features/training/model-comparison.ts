import { createHash } from 'node:crypto'
import { citation, planAnswer, type KnowledgeLookup } from '@chorus/conversation'
import { parseFaqCsv, type EvalSet } from '@chorus/knowledge'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import type { BotSettings, ChatMessage, PromptJobInput } from '@chorus/protocol'
import type { Turn } from './dataset-formats.js'

/** One question to put to every model: what was said before it, and the answer it should get. */
export interface ComparisonCase {
  system: string
  history: Turn[]
  question: string
  reference: string
}

/** The bot whose way of answering the models are compared in (its persona, knowledge and settings). */
export interface ComparisonBot {
  id: string
  name: string
  persona: string
  settings: BotSettings
}

export interface ModelAnswer {
  model: string
  text: string
  /** From queueing to the whole answer (a batch prompt waits for customers' prompts: this is not a latency SLO). */
  ms: number
  length: number
  refused: boolean
  /** Facts of the reference (numbers, times, names) found in the answer. */
  facts: { found: number; of: number }
  /** The bot answered without a model (small talk, asking back, nothing found): the same for every model. */
  withoutModel?: boolean
  error?: string
}

export interface ComparisonRow {
  question: string
  reference: string
  answers: ModelAnswer[]
  /** The judge's verdict for each model after the first, against the first: the better one's name, or 'tie'. */
  judged?: Array<{ model: string; better: string }>
}

export interface ModelSummary {
  model: string
  questions: number
  /** Share of the references' facts found in the answers (over the questions whose reference has any). */
  factsFound: number | null
  meanLength: number
  p50Ms: number
  refusals: number
  errors: number
  /** Against the first model, by the judge. */
  judged?: { wins: number; losses: number; ties: number }
}

export interface ComparisonResult {
  rows: ComparisonRow[]
  summary: ModelSummary[]
}

const refusal = /抱歉|无法回答|不能回答|没有找到|不清楚|不知道|sorry|cannot answer|can't answer|can ?not help|don't know|do not know/i

/** Whether an answer declines to answer. */
export function isRefusal(text: string): boolean {
  return refusal.test(text)
}

/**
 * What an answer must state to agree with the reference: its numbers (prices, times, dates,
 * phone numbers, with their separators), quoted names (《…》「…」“…”) and Latin proper names.
 */
export function referenceFacts(reference: string): string[] {
  const text = reference.replaceAll('：', ':')
  const numbers = text.match(/\d+(?:[.:/]\d+)*/g) ?? []
  const quoted = [...text.matchAll(/[《「“"]([^》」”"]{1,40})[》」”"]/g)].map((m) => m[1]!)
  const names = text.match(/\b[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*\b/g) ?? []
  return [...new Set([...numbers, ...quoted, ...names])]
}

/** How many of the reference's facts the answer states. */
export function factsFound(reference: string, answer: string): { found: number; of: number } {
  const facts = referenceFacts(reference)
  const text = answer.replaceAll('：', ':')
  return { found: facts.filter((fact) => text.includes(fact)).length, of: facts.length }
}

const judgeSystem =
  'You compare two answers to a customer question against the reference answer a company approved. ' +
  'The better answer states the reference’s facts correctly and answers the question helpfully. ' +
  'Reply with exactly one character: A, B, or T for a tie.'

/**
 * Puts every case to every model through the pool at the batch priority (a model's next question
 * waits for its answer, so a comparison holds at most one slot per model while customers' prompts
 * go first), the way the bot would answer when one is given. With a judge, each model after the
 * first is judged against the first, the two answers in an order fixed by a hash (so neither
 * position is always first).
 */
export async function compareModels(
  deps: { dispatcher: Dispatcher; replies: ReplyReader; knowledge?: KnowledgeLookup },
  input: {
    runId: string
    cases: ComparisonCase[]
    models: string[]
    bot?: ComparisonBot
    judge?: string
    maxTokens: number
    timeoutMs?: number
    onRow?: (row: ComparisonRow, index: number) => void | Promise<void>
  },
): Promise<ComparisonResult> {
  const rows: ComparisonRow[] = []
  let jobs = 0
  /** One prompt through the pool; its text, or the error it ended with. */
  const ask = async (model: string, messages: ChatMessage[], sources?: PromptJobInput['sources']) => {
    const jobId = `compare-${input.runId}-${jobs++}`
    await deps.dispatcher.dispatch(
      jobId,
      {
        origin: { kind: 'api', apiKeyId: 'model-comparison' },
        messages,
        ...(sources ? { sources } : {}),
        maxTokens: input.maxTokens,
        model,
        enqueuedAt: Date.now(),
        routing: { fairnessKey: `comparison:${input.runId}`, priorityClass: 'batch' },
      },
      { force: true },
    )
    for await (const event of deps.replies.read(jobId, { timeoutMs: input.timeoutMs ?? 600_000 })) {
      if (event.type === 'done') return { text: event.text, cited: event.cited }
      if (event.type === 'error') return { error: `${event.code}: ${event.message}` }
    }
    return { error: 'no answer in time' }
  }
  for (const [index, testCase] of input.cases.entries()) {
    const plan = input.bot
      ? await planAnswer(deps.knowledge, {
          botId: input.bot.id,
          botName: input.bot.name,
          settings: input.bot.settings,
          persona: testCase.system || input.bot.persona,
          history: [...testCase.history, { role: 'user' as const, content: testCase.question }].map((turn) => ({
            role: turn.role,
            text: turn.content,
            author: null,
          })),
          budgetTokens: 3000,
          namedSpeakers: false,
        })
      : undefined
    const messages: ChatMessage[] = plan?.messages ?? [
      ...(testCase.system ? [{ role: 'system' as const, content: testCase.system }] : []),
      ...testCase.history,
      { role: 'user', content: testCase.question },
    ]
    const answers = await Promise.all(
      input.models.map(async (model): Promise<ModelAnswer> => {
        const started = Date.now()
        const answered =
          plan?.answer !== undefined ? { text: plan.answer, withoutModel: true } : await ask(model, messages, plan?.engine?.sources)
        if ('error' in answered) {
          return { model, text: '', ms: Date.now() - started, length: 0, refused: false, facts: { found: 0, of: 0 }, error: answered.error }
        }
        const text =
          'cited' in answered && input.bot
            ? answered.text + citation(answered.cited, plan?.engine?.sources, input.bot.settings.language).appended
            : answered.text
        return {
          model,
          text,
          ms: Date.now() - started,
          length: [...text].length,
          refused: isRefusal(text),
          facts: factsFound(testCase.reference, text),
          ...('withoutModel' in answered ? { withoutModel: true } : {}),
        }
      }),
    )
    const row: ComparisonRow = { question: testCase.question, reference: testCase.reference, answers }
    if (input.judge && answers.length > 1) {
      row.judged = []
      for (const other of answers.slice(1)) {
        const first = answers[0]!
        const swapped = createHash('sha256').update(`${index}:${other.model}`).digest()[0]! % 2 === 1
        const [a, b] = swapped ? [other, first] : [first, other]
        const verdict = await ask(input.judge, [
          { role: 'system', content: judgeSystem },
          {
            role: 'user',
            content: `Question: ${testCase.question}\nReference: ${testCase.reference}\nAnswer A: ${a.text}\nAnswer B: ${b.text}`,
          },
        ])
        const letter = 'error' in verdict ? '' : (verdict.text ?? '').trim().charAt(0).toUpperCase()
        row.judged.push({ model: other.model, better: letter === 'A' ? a.model : letter === 'B' ? b.model : 'tie' })
      }
    }
    rows.push(row)
    await input.onRow?.(row, index)
  }
  return { rows, summary: summarize(input.models, rows, Boolean(input.judge)) }
}

function summarize(models: string[], rows: ComparisonRow[], judged: boolean): ModelSummary[] {
  return models.map((model, m) => {
    const answers = rows.map((row) => row.answers[m]!)
    const withFacts = answers.filter((a) => a.facts.of > 0)
    const times = answers.map((a) => a.ms).sort((x, y) => x - y)
    const verdicts = rows.flatMap((row) => row.judged ?? []).filter((v) => m === 0 || v.model === model)
    const summary: ModelSummary = {
      model,
      questions: answers.length,
      factsFound: withFacts.length ? round(withFacts.reduce((sum, a) => sum + a.facts.found / a.facts.of, 0) / withFacts.length) : null,
      meanLength: answers.length ? Math.round(answers.reduce((sum, a) => sum + a.length, 0) / answers.length) : 0,
      p50Ms: times.length ? times[Math.floor((times.length - 1) / 2)]! : 0,
      refusals: answers.length ? round(answers.filter((a) => a.refused).length / answers.length) : 0,
      errors: answers.filter((a) => a.error).length,
    }
    if (judged && models.length > 1) {
      // The first model's record is the mirror of every other's.
      const wins = verdicts.filter((v) => v.better === model).length
      const ties = verdicts.filter((v) => v.better === 'tie').length
      summary.judged = { wins, losses: verdicts.length - wins - ties, ties }
    }
    return summary
  })
}

const round = (n: number) => Math.round(n * 1000) / 1000

/** The cases of a dataset's examples: each one's last answer is the reference, what came before the history. */
export function casesOf(examples: Array<{ system: string; turns: Turn[] }>): ComparisonCase[] {
  return examples.flatMap((example) => {
    const turns = example.turns
    const reference = turns.at(-1)
    const question = turns.at(-2)
    if (reference?.role !== 'assistant' || question?.role !== 'user') return []
    return [{ system: example.system, history: turns.slice(0, -2), question: question.content, reference: reference.content }]
  })
}

/** The comparison as a text table: one line per model. */
export function comparisonTable(summary: ModelSummary[]): string {
  const header = ['model', 'questions', 'facts found', 'mean length', 'p50 ms', 'refusals', 'errors', 'judge W/L/T']
  const lines = summary.map((s) => [
    s.model,
    String(s.questions),
    s.factsFound === null ? '—' : `${Math.round(s.factsFound * 100)}%`,
    String(s.meanLength),
    String(s.p50Ms),
    `${Math.round(s.refusals * 100)}%`,
    String(s.errors),
    s.judged ? `${s.judged.wins}/${s.judged.losses}/${s.judged.ties}` : '—',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n')
}

/**
 * The cases of a knowledge evaluation set (`npm run eval`'s): its answerable questions, each with
 * the answers of the FAQ entries it asks about as the reference.
 */
export function evalSetCases(set: EvalSet): ComparisonCase[] {
  const answers = new Map(parseFaqCsv(set.csv.toString('utf8'), set.filename).map((faq) => [faq.question, faq.answer]))
  return set.cases.flatMap(({ query, expected }) => {
    if (expected === null) return []
    const reference = (Array.isArray(expected) ? expected : [expected]).map((question) => answers.get(question) ?? '').join('\n')
    return reference.trim() ? [{ system: '', history: [], question: query, reference }] : []
  })
}
