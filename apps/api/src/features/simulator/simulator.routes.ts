import { Router } from 'express'
import { simulatorListQuery, simulatorPostBody, type SimulatorCommand } from '@chorus/protocol'
import type { Redis, RedisKeys } from '@chorus/pool'
import { appendTranscript, readTranscript, simulatorAliveKey, simulatorCommandsKey, transcriptKey } from '@chorus/wechat-simulator'
import { BadRequest, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'

/**
 * The WeChat simulator's API (contract): say something as a simulated contact, and read what
 * was said. Answers 404 unless a bot runs the mock puppet.
 */
export function simulatorRoutes(deps: { redis: Redis; keys: RedisKeys }): Router {
  const { redis, keys } = deps
  const router = Router()

  const requireSimulator = async () => {
    if (!(await redis.exists(simulatorAliveKey(keys)))) {
      throw new NotFound('the WeChat simulator is not running (the bot is not using wechaty-puppet-mock)')
    }
  }

  router.post('/api/simulator/messages', async (req, res) => {
    const body = validate(simulatorPostBody, req.body)
    await requireSimulator()
    const id = await appendTranscript(redis, transcriptKey(keys, { room: body.room, contact: body.from }), {
      room: body.room ?? null,
      from: body.from,
      text: body.text,
      self: false,
    })
    const command: SimulatorCommand = { id, room: body.room, from: body.from, text: body.text, mentions: body.mentions ?? [] }
    await redis.xadd(simulatorCommandsKey(keys), 'MAXLEN', '~', '100000', '*', 'c', JSON.stringify(command))
    res.status(202).json({ id })
  })

  router.get('/api/simulator/messages', async (req, res) => {
    const query = validate(simulatorListQuery, req.query, 'query')
    if (!query.room && !query.from) throw new BadRequest('give a room, or a contact (from) for a private chat')
    await requireSimulator()
    const key = transcriptKey(keys, { room: query.room, contact: query.from })
    let lines = await readTranscript(redis, key, query.after, query.limit)
    if (query.room && query.from) lines = lines.filter((line) => line.from === query.from)
    res.json(lines)
  })

  return router
}
