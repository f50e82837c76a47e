import { createHash } from 'node:crypto'
import { PersonalDataMask } from '@chorus/llm'
import type { DatasetFormat } from '@chorus/protocol'

/** One example: the bot's persona and alternating user/assistant turns, user first, assistant last. */
export interface Example {
  system: string
  turns: Turn[]
}

export interface Turn {
  role: 'user' | 'assistant'
  content: string
}

/**
 * Turns as fine-tuning expects them: consecutive turns of one side joined, turns before the first
 * question and after the last answer dropped. Null when no question is answered.
 */
export function alternatingTurns(turns: Turn[]): Turn[] | null {
  const merged: Turn[] = []
  for (const turn of turns) {
    const content = turn.content.trim()
    if (!content) continue
    const last = merged.at(-1)
    if (last?.role === turn.role) last.content = `${last.content}\n${content}`
    else if (last || turn.role === 'user') merged.push({ role: turn.role, content })
  }
  if (merged.at(-1)?.role === 'user') merged.pop()
  return merged.length >= 2 ? merged : null
}

/**
 * Whether an example is held out for testing: a hash of its key, so the same example is in the
 * same split in every dataset built from the same data.
 */
export function isTestExample(key: string, testShare: number): boolean {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32 < testShare
}

/** The example with personal data masked (one placeholder per distinct value across its turns). */
export function maskExample(example: Example): Example {
  const mask = new PersonalDataMask()
  return { system: mask.mask(example.system), turns: example.turns.map((turn) => ({ ...turn, content: mask.mask(turn.content) })) }
}

/** A file of examples in the format a fine-tuning tool reads. */
export interface DatasetFile {
  extension: 'jsonl' | 'json'
  contentType: string
  body: string
}

/**
 * - `openai`: OpenAI's chat fine-tuning JSONL, one `{"messages": [...]}` per line.
 * - `sharegpt`: LLaMA-Factory's ShareGPT JSON, `{"conversations": [{"from": "human"|"gpt", "value"}], "system"}`.
 * - `alpaca`: LLaMA-Factory's Alpaca JSON, the last exchange as `instruction`/`output`, earlier ones as `history`.
 */
export function formatExamples(examples: Example[], format: DatasetFormat): DatasetFile {
  switch (format) {
    case 'openai':
      return {
        extension: 'jsonl',
        contentType: 'application/jsonl; charset=utf-8',
        body: examples
          .map((example) =>
            JSON.stringify({ messages: [...(example.system ? [{ role: 'system', content: example.system }] : []), ...example.turns] }),
          )
          .map((line) => `${line}\n`)
          .join(''),
      }
    case 'sharegpt':
      return json(
        examples.map((example) => ({
          conversations: example.turns.map((turn) => ({ from: turn.role === 'user' ? 'human' : 'gpt', value: turn.content })),
          ...(example.system ? { system: example.system } : {}),
        })),
      )
    case 'alpaca':
      return json(
        examples.map((example) => {
          const pairs: Array<[string, string]> = []
          for (let i = 0; i + 1 < example.turns.length; i += 2) pairs.push([example.turns[i]!.content, example.turns[i + 1]!.content])
          const [instruction, output] = pairs.pop()!
          return { instruction, input: '', output, ...(example.system ? { system: example.system } : {}), history: pairs }
        }),
      )
  }
}

function json(value: unknown): DatasetFile {
  return { extension: 'json', contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value, null, 2)}\n` }
}
