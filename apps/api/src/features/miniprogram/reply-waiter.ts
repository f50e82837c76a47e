import type { ReplyReader } from '@chorus/pool'
import type { MiniProgramRepository } from './miniprogram.repository.js'

export interface MpMessage {
  id: string
  role: string
  text: string
  at: string
  author: string | null
}

export type ChatEvent =
  | { type: 'delta'; text: string }
  /** `message` is null when a person has the conversation now (they answer later) or another reply covered it. */
  | { type: 'done'; message: MpMessage | null; handledBy: 'bot' | 'agent' }
  | { type: 'error'; code: string; message: string }

const pollMs = 1000

/** Waits `ms`, or less if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

export function toMpMessage(m: {
  id: bigint
  role: string
  text: string
  createdAt: Date
  authorStaff?: { displayName: string } | null
}): MpMessage {
  return { id: String(m.id), role: m.role, text: m.text, at: m.createdAt.toISOString(), author: m.authorStaff?.displayName ?? null }
}

/**
 * Follows the answer to one mini-program message: the model's tokens as they come (the job's
 * reply stream), then the reply as stored — the stored one is the truth (it may be a refusal
 * after the content check). Also watches the database, since the job may end without answering
 * this message (a person took over, a newer message's answer covered it).
 */
export class ReplyWaiter {
  constructor(
    private readonly repo: MiniProgramRepository,
    private readonly replies: ReplyReader,
    private readonly timeoutMs: number,
  ) {}

  async *wait(inboundId: bigint, jobId: string, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const stop = new AbortController()
    const onAbort = () => stop.abort()
    signal.addEventListener('abort', onAbort)
    const watcher = this.watch(inboundId, stop)
    let failed: { code: string } | undefined
    try {
      for await (const event of this.replies.read(jobId, { timeoutMs: this.timeoutMs, signal: stop.signal })) {
        if (event.type === 'delta') yield { type: 'delta', text: event.text }
        else if (event.type === 'error') failed = { code: event.code }
        if (event.type === 'done' || event.type === 'error') break
      }
    } finally {
      stop.abort()
      signal.removeEventListener('abort', onAbort)
      await watcher
    }
    if (signal.aborted) return
    const decision = await this.repo.decision(inboundId)
    if (decision?.reply) {
      const message = toMpMessage(decision.reply)
      if (decision.status === 'failed') yield { type: 'error', code: 'failed', message: message.text }
      else yield { type: 'done', message, handledBy: 'bot' }
      return
    }
    if (
      decision &&
      (decision.status === 'delivered' || decision.conversation.state === 'agent' || decision.conversation.state === 'waiting')
    ) {
      yield { type: 'done', message: null, handledBy: 'agent' }
      return
    }
    if (decision?.status === 'superseded' || decision?.status === 'answered') {
      yield { type: 'done', message: null, handledBy: 'bot' }
      return
    }
    yield { type: 'error', code: failed?.code ?? 'timeout', message: 'no answer in time; please try again' }
  }

  /** Ends the wait once the message is decided without this job (or the client went away). */
  private async watch(inboundId: bigint, stop: AbortController): Promise<void> {
    while (!stop.signal.aborted) {
      await pause(pollMs, stop.signal)
      if (stop.signal.aborted) return
      // A look that fails (the database restarting) is taken again at the next poll: nobody awaits
      // this loop until the stream ends, so an error here would go unhandled and stop the process.
      const decision = await this.repo.decision(inboundId).catch(() => null)
      if (decision && decision.status !== 'queued' && decision.status !== 'received') {
        // Give the stream a moment to deliver its last tokens and `done` before cutting it.
        await pause(pollMs, stop.signal)
        stop.abort()
      }
    }
  }
}
