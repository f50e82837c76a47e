import { Router } from 'express'
import { formatQuote } from '@chorus/conversation'
import { simulatorListQuery, simulatorPostBody, type SimulatorCommand } from '@chorus/protocol'
import type { ConversationKeys } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import {
  postToChat,
  liveAccounts,
  readTranscript,
  readTranscriptLine,
  simulatorCommandsKey,
  simulatorIdKey,
  transcriptKey,
} from '@chorus/wechat-simulator'
import { BadRequest, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'

/**
 * The WeChat simulator's API (contract): say something as a simulated contact — text, media,
 * a quote, or a re-delivery of an earlier message — and read what was said. Each bot running
 * the mock puppet is one simulated account (`bot` picks one when several run); 404 when none does.
 */
export function simulatorRoutes(deps: { redis: RedisClient; keys: ConversationKeys }): Router {
  const { redis, keys } = deps
  const router = Router()
  // Which accounts run changes when a bot process starts or stops: asked at most once a second
  // while some run (a message to one that just stopped waits in its command stream).
  let running: { at: number; accounts: string[] } | undefined
  const runningAccounts = async (named?: string): Promise<string[]> => {
    if (running && Date.now() - running.at < 1000 && (!named || running.accounts.includes(named))) return running.accounts
    const accounts = await liveAccounts(redis, keys)
    running = accounts.length > 0 ? { at: Date.now(), accounts } : undefined
    return accounts
  }

  /** The simulated account a request is for: the one named, or the only one running. */
  const account = async (named: string | undefined): Promise<string> => {
    const live = await runningAccounts(named)
    if (live.length === 0) throw new NotFound('the WeChat simulator is not running (no bot uses wechaty-puppet-mock)')
    if (named) {
      if (!live.includes(named)) throw new NotFound(`no simulated WeChat account named ${named} is running (running: ${live.join(', ')})`)
      return named
    }
    if (live.length > 1) throw new BadRequest(`several simulated accounts are running (${live.join(', ')}): say which with "bot"`)
    return live[0]!
  }

  router.post('/api/simulator/messages', async (req, res) => {
    const body = validate(simulatorPostBody, req.body)
    const bot = await account(body.bot)
    const key = transcriptKey(keys, bot, { room: body.room, contact: body.from })
    let text = body.text
    if (body.quote) {
      const quoted = await readTranscriptLine(redis, key, body.quote)
      if (!quoted) throw new BadRequest('quote: no message with that id in this chat')
      text = formatQuote(quoted.from, quoted.text, text)
    }
    const command: Omit<SimulatorCommand, 'id'> = {
      room: body.room,
      from: body.from,
      text,
      mentions: body.mentions ?? [],
      kind: body.kind,
      image: body.image,
    }
    const commands = simulatorCommandsKey(keys, bot)
    // A caller-chosen id posted again is WeChat re-delivering the same message: no new line.
    const seen = body.id ? await redis.get(simulatorIdKey(keys, bot, body.id)) : null
    let id: string
    if (seen) {
      id = seen
      await redis.xadd(commands, 'MAXLEN', '~', '100000', '*', 'c', JSON.stringify({ id, ...command } satisfies SimulatorCommand))
    } else {
      const line = { room: body.room ?? null, from: body.from, text: body.kind === 'text' ? text : `[${body.kind}]` }
      id = await postToChat(redis, { transcript: key, commands }, line, command)
      if (body.id) await redis.set(simulatorIdKey(keys, bot, body.id), id, 'EX', 86_400)
    }
    res.status(202).json({ id })
  })

  router.get('/api/simulator/messages', async (req, res) => {
    const query = validate(simulatorListQuery, req.query, 'query')
    if (!query.room && !query.from) throw new BadRequest('give a room, or a contact (from) for a private chat')
    const key = transcriptKey(keys, await account(query.bot), { room: query.room, contact: query.from })
    let lines = await readTranscript(redis, key, query.after, query.limit)
    if (query.room && query.from) lines = lines.filter((line) => line.from === query.from)
    res.json(lines)
  })

  return router
}
