import { failureNotice } from '@chorus/conversation'
import { readEvents } from '../../support/event-stream.js'
import { apiKey, botName, redisPrefix, type FaultStack } from './fault-stack.js'
import { TranscriptWatcher } from './transcript-watcher.js'

export type ChannelName = 'group' | 'private' | 'miniprogram' | 'v1'

/** An answer as the asker saw it: a reply naming their question, a failure notice, or anything else. */
export interface SeenAnswer {
  at: number
  kind: 'reply' | 'failure' | 'other'
  text: string
}

/** One question asked through a channel, with a tag (`#…`) that its reply names. */
export interface Question {
  tag: string
  channel: ChannelName
  /** The group, or the asker (a contact, a mini-program user, a /v1 request). */
  chat: string
  from: string
  /** When a channel first took the question (202 from the simulator, a 200 stream from /mp/v1 or /v1). */
  acceptedAt?: number
  /** Answers the mini-program and /v1 clients received (WeChat answers are read from the chats). */
  received: SeenAnswer[]
}

export interface MiniProgramUser {
  openid: string
  token: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const retryEveryMs = 250

function classify(text: string, tag: string): SeenAnswer['kind'] {
  if (text.includes(failureNotice)) return 'failure'
  return text.includes(`${tag} `) || text.endsWith(tag) ? 'reply' : 'other'
}

/**
 * Asks the stack questions the way users and clients do, each from an asker of its own (so
 * every question is its own conversation and every answer can be attributed): group members
 * and private contacts through the WeChat simulator, mini-program users through `/mp/v1`
 * (streaming), and `/v1` clients. A question the channel did not take is sent again (with the
 * same platform or client id, so a retry is never a second message) until it is taken; what
 * each asker sees is recorded for `audit`.
 */
export class Traffic {
  readonly questions: Question[] = []
  readonly watcher: TranscriptWatcher
  private count = 0

  constructor(
    private readonly stack: FaultStack,
    /** Names this traffic's askers and tags (unique per test). */
    private readonly name: string,
  ) {
    this.watcher = new TranscriptWatcher(stack.redis.url, redisPrefix, botName)
  }

  /** A new member asks the bot in group `room` (an @mention). */
  async group(room: string, deadlineMs = 60_000): Promise<Question> {
    const q = this.question('group', room, 'g')
    this.watcher.follow({ room })
    await this.say(q, { room, from: q.from, text: `@${botName} question ${q.tag}` }, deadlineMs)
    return q
  }

  /** A new contact asks the bot in a private chat. */
  async private(deadlineMs = 60_000): Promise<Question> {
    const q = this.question('private', undefined, 'p')
    this.watcher.follow({ contact: q.from })
    await this.say(q, { from: q.from, text: `question ${q.tag}` }, deadlineMs)
    return q
  }

  /** Logs a new mini-program user in (before a fault: a WeChat login code works once). */
  async miniProgramUser(): Promise<MiniProgramUser> {
    const openid = `${this.name}-u${++this.count}`
    const res = await fetch(`${this.stack.apiUrl}/mp/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: `ok:${openid}` }),
    })
    if (res.status !== 200) throw new Error(`mini-program login failed: ${res.status} ${await res.text()}`)
    return { openid, token: ((await res.json()) as { token: string }).token }
  }

  /**
   * `user` asks in the mini-program and reads the streamed answer; a stream cut before its end
   * (the API went away) is asked again with the same client id, which follows the same answer.
   */
  async miniProgram(user: MiniProgramUser, deadlineMs = 60_000): Promise<Question> {
    const q = this.question('miniprogram', user.openid, 'mp')
    const deadline = Date.now() + deadlineMs
    while (q.received.length === 0 && Date.now() < deadline) {
      try {
        const res = await fetch(`${this.stack.apiUrl}/mp/v1/messages`, {
          method: 'POST',
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
          headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ text: `question ${q.tag}`, id: q.tag.slice(1) }),
        })
        if (res.status === 200 && res.body) {
          q.acceptedAt ??= Date.now()
          await readEvents(res.body, (event) => {
            if (event.type === 'done') {
              const reply = event.data.reply as { text: string; role: string } | null
              const text = reply?.text ?? '(handled by an agent)'
              q.received.push({ at: event.at, kind: reply?.role === 'system' ? 'failure' : classify(text, q.tag), text })
            } else if (event.type === 'error') {
              q.received.push({ at: event.at, kind: 'failure', text: String(event.data.message) })
            }
          })
        } else {
          await res.body?.cancel()
        }
      } catch {
        // The API went away mid-request: ask again.
      }
      if (q.received.length === 0) await sleep(retryEveryMs)
    }
    return q
  }

  /** A `/v1` client asks (streaming); an answer cut off before its end counts as a failure it saw. */
  async v1(deadlineMs = 60_000): Promise<Question> {
    const q = this.question('v1', 'v1', 'v')
    const deadline = Date.now() + deadlineMs
    while (q.acceptedAt === undefined && Date.now() < deadline) {
      try {
        const res = await fetch(`${this.stack.apiUrl}/v1/chat/completions`, {
          method: 'POST',
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'chorus-simulator',
            messages: [{ role: 'user', content: `question ${q.tag}` }],
            stream: true,
            max_tokens: 16,
          }),
        })
        if (res.status !== 200 || !res.body) {
          // Refused (no replica yet, busy, the API restarting): not taken, so asked again.
          await res.body?.cancel()
          await sleep(retryEveryMs)
          continue
        }
        q.acceptedAt = Date.now()
        const outcome = await readCompletion(res.body)
        q.received.push(
          outcome.ok
            ? { at: Date.now(), kind: classify(outcome.text, q.tag), text: outcome.text }
            : { at: Date.now(), kind: 'failure', text: outcome.error },
        )
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError'
        if (q.acceptedAt === undefined) await sleep(retryEveryMs)
        // No answer before the deadline is no answer at all (lost); a cut connection is a failure the client sees.
        else if (!timedOut) q.received.push({ at: Date.now(), kind: 'failure', text: `connection cut: ${String(error)}` })
      }
    }
    return q
  }

  /**
   * Steady mixed traffic: `perSecond` questions for `durationMs`, taking turns through `mix`
   * (groups spread over `rooms`; each mini-program question from a user of `users` not waiting
   * for another answer). Resolves once every question has been taken or given up on.
   */
  async steady(options: {
    perSecond: number
    durationMs: number
    rooms: string[]
    users: MiniProgramUser[]
    mix?: ChannelName[]
  }): Promise<void> {
    const mix = options.mix ?? ['group', 'private', 'group', 'miniprogram', 'group', 'v1']
    const idle = [...options.users]
    const asked: Array<Promise<unknown>> = []
    const end = Date.now() + options.durationMs
    let groups = 0
    for (let i = 0; Date.now() < end; i++) {
      const channel = mix[i % mix.length]!
      if (channel === 'group') asked.push(this.group(options.rooms[groups++ % options.rooms.length]!))
      else if (channel === 'private') asked.push(this.private())
      else if (channel === 'v1') asked.push(this.v1())
      else {
        const user = idle.shift()
        if (user) asked.push(this.miniProgram(user).finally(() => idle.push(user)))
      }
      await sleep(1000 / options.perSecond)
    }
    await Promise.all(asked)
  }

  /** What the asker of `q` saw: for WeChat, the bot's lines addressed to them in their chat. */
  answersTo(q: Question): SeenAnswer[] {
    if (q.channel === 'group') {
      return this.watcher
        .botLines({ room: q.chat })
        .filter((line) => line.text.startsWith(`@${q.from} `))
        .map((line) => ({ at: line.at, kind: classify(line.text, q.tag), text: line.text }))
    }
    if (q.channel === 'private') {
      return this.watcher.botLines({ contact: q.chat }).map((line) => ({ at: line.at, kind: classify(line.text, q.tag), text: line.text }))
    }
    return q.received
  }

  async stop(): Promise<void> {
    await this.watcher.stop()
  }

  /** A new question; its asker is named after it, and is the chat itself unless one is given (a group). */
  private question(channel: ChannelName, chat: string | undefined, kind: string): Question {
    const from = `${this.name}-${kind}${++this.count}`
    const q: Question = { tag: `#${from}`, channel, chat: chat ?? from, from, received: [] }
    this.questions.push(q)
    return q
  }

  /** Posts to the WeChat simulator until it takes the message (202); the same id each time, so a retry is WeChat re-delivering it. */
  private async say(q: Question, body: Record<string, string>, deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.stack.apiUrl}/api/simulator/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...body, id: q.tag.slice(1) }),
        })
        await res.text()
        if (res.status === 202) {
          q.acceptedAt = Date.now()
          return
        }
      } catch {
        // The API is down: not taken.
      }
      await sleep(retryEveryMs)
    }
  }
}

/** Reads an OpenAI chat-completion stream to its end: the text, or the error it ended with. */
async function readCompletion(body: ReadableStream<Uint8Array>): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let text = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return { ok: false, error: 'the stream ended without [DONE]' }
    buffer += value
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const data = buffer.slice(0, end).replace(/^data: /, '')
      buffer = buffer.slice(end + 2)
      if (data === '[DONE]') return { ok: true, text }
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }>; error?: { message: string } }
      if (chunk.error) return { ok: false, error: chunk.error.message }
      text += chunk.choices?.[0]?.delta?.content ?? ''
      end = buffer.indexOf('\n\n')
    }
  }
}
