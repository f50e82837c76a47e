import type { Redis } from 'ioredis'
import { nodeHttpFetch } from '@chorus/llm'

type StreamReply = Array<[string, Array<[string, string[]]>]> | null

function field(fields: string[], name: string): string {
  const index = fields.indexOf(name)
  return index >= 0 ? (fields[index + 1] ?? '') : ''
}

/**
 * Says `text` as simulated contact `from` in group `room` (POST /api/simulator/messages); returns
 * the transcript line id. Through keep-alive `node:http`: the bench's own client shares the
 * platform's event loop, and the global fetch cost about 0.6 ms more CPU a request.
 */
export async function postSimulatorMessage(apiUrl: string, message: { room: string; from: string; text: string }): Promise<string> {
  const response = await nodeHttpFetch(`${apiUrl}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  })
  if (response.status !== 202) throw new Error(`POST /api/simulator/messages: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

/** A line of the bot's that carries a model's reply (the simulator's replies start with this). */
function isModelReply(fields: string[]): boolean {
  return field(fields, 'self') === '1' && field(fields, 'text').includes('[simulated]')
}

/** Waits (XREAD BLOCK, no polling) for the bot's next reply in a transcript after line `after`. */
export async function waitForBotLine(redis: Redis, key: string, after: string, timeoutMs: number): Promise<{ id: string; text: string }> {
  const deadline = Date.now() + timeoutMs
  let cursor = after
  while (Date.now() < deadline) {
    const result = (await redis.xread('BLOCK', Math.max(1, deadline - Date.now()), 'STREAMS', key, cursor)) as StreamReply
    for (const [, entries] of result ?? []) {
      for (const [id, fields] of entries) {
        cursor = id
        if (isModelReply(fields)) return { id, text: field(fields, 'text') }
      }
    }
  }
  throw new Error(`no bot reply in ${key} within ${timeoutMs} ms`)
}

/**
 * Counts the bot's replies across many transcripts (XREAD BLOCK on all of them) until `expected`
 * arrived; resolves with when the last one did (performance.now()) and their texts.
 */
export async function collectBotLines(
  redis: Redis,
  keys: string[],
  expected: number,
  timeoutMs: number,
): Promise<{ lastAt: number; texts: string[] }> {
  const cursors = new Map(keys.map((key) => [key, '0-0']))
  const texts: string[] = []
  const deadline = Date.now() + timeoutMs
  let lastAt = 0
  while (texts.length < expected) {
    if (Date.now() >= deadline) throw new Error(`only ${texts.length} of ${expected} bot replies within ${timeoutMs} ms`)
    const result = (await redis.xread(
      'COUNT',
      1000,
      'BLOCK',
      Math.max(1, Math.min(1000, deadline - Date.now())),
      'STREAMS',
      ...cursors.keys(),
      ...cursors.values(),
    )) as StreamReply
    for (const [key, entries] of result ?? []) {
      for (const [id, fields] of entries) {
        cursors.set(key, id)
        if (!isModelReply(fields)) continue
        texts.push(field(fields, 'text'))
        lastAt = performance.now()
      }
    }
  }
  return { lastAt, texts }
}
