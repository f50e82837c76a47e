import type { SimulatorMessage } from '@chorus/protocol'
import { waitFor } from './wait-for.js'

/** A simulated chat: a group by name, or a contact's private chat with the bot. */
export type Chat = { room: string } | { contact: string }

/** What a simulated contact sends (the body of `POST /api/simulator/messages`, minus the chat). */
export interface Said {
  from: string
  text?: string
  mentions?: string[]
  kind?: 'text' | 'image' | 'voice' | 'file' | 'link' | 'mini_program' | 'red_packet'
  /** A transcript line id of the same chat that this message quotes. */
  quote?: string
  /** A platform message id: the same id again is WeChat re-delivering the message. */
  id?: string
}

/** A client of the WeChat simulator API for groups and private chats alike. */
export class SimulatorClient {
  constructor(private readonly apiUrl: string) {}

  /** Says something in `room` (or, without one, in `from`'s private chat); resolves with the line's id. */
  async say(room: string | undefined, said: Said): Promise<string> {
    const res = await fetch(`${this.apiUrl}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...(room ? { room } : {}), ...said }),
    })
    if (res.status !== 202) throw new Error(`the simulator API answered ${res.status}: ${await res.text()}`)
    return ((await res.json()) as { id: string }).id
  }

  /** Everything said in `chat`, oldest first. */
  async transcript(chat: Chat): Promise<SimulatorMessage[]> {
    const where = 'room' in chat ? `room=${encodeURIComponent(chat.room)}` : `from=${encodeURIComponent(chat.contact)}`
    const res = await fetch(`${this.apiUrl}/api/simulator/messages?${where}&limit=1000`)
    if (res.status !== 200) throw new Error(`the simulator API answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as SimulatorMessage[]
  }

  /** What the bot said in `chat`, oldest first. */
  async botLines(chat: Chat): Promise<SimulatorMessage[]> {
    return (await this.transcript(chat)).filter((line) => line.self)
  }

  /** Waits until the bot has said at least `count` things in `chat`; returns them. */
  async waitForBotLines(chat: Chat, count: number, timeoutMs: number): Promise<SimulatorMessage[]> {
    return waitFor(
      async () => {
        const lines = await this.botLines(chat)
        return lines.length >= count ? lines : undefined
      },
      timeoutMs,
      `${count} bot line(s) in ${JSON.stringify(chat)}`,
    )
  }

  /** Sends `text` as `from` in a private chat and returns the bot's reply to it. */
  async ask(from: string, text: string): Promise<string> {
    const before = (await this.botLines({ contact: from })).length
    await this.say(undefined, { from, text })
    return (await this.waitForBotLines({ contact: from }, before + 1, 10_000)).at(-1)!.text
  }

  /**
   * Asks until the reply is one `accept` takes: each worker rereads a bot's changed knowledge
   * within 5 s, and the change is seen nowhere else, so the question is asked again, at most once
   * a second (a user's messages are rate-limited).
   */
  askUntil(from: string, text: string, accept: (reply: string) => boolean, what: string): Promise<string> {
    let nextAt = 0
    return waitFor(
      async () => {
        if (Date.now() < nextAt) return undefined
        nextAt = Date.now() + 1000
        const reply = await this.ask(from, text)
        return accept(reply) ? reply : undefined
      },
      20_000,
      what,
    )
  }
}
