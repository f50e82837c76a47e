import type { SimulatorMessage } from '@chorus/protocol'
import { waitFor } from './wait-for.js'

/** A client of the WeChat simulator API: simulated contacts talk to the bot, tests read the chats. */
export class SimulatorChat {
  constructor(private readonly apiUrl: string) {}

  /** `from` says `text` to the bot in a private chat; resolves with the line's id once the API took it. */
  async say(from: string, text: string): Promise<string> {
    const res = await fetch(`${this.apiUrl}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, text }),
    })
    if (res.status !== 202) throw new Error(`the simulator API answered ${res.status}: ${await res.text()}`)
    return ((await res.json()) as { id: string }).id
  }

  /** Everything said in `contact`'s private chat with the bot, oldest first. */
  async privateChat(contact: string): Promise<SimulatorMessage[]> {
    const res = await fetch(`${this.apiUrl}/api/simulator/messages?from=${encodeURIComponent(contact)}`)
    if (res.status !== 200) throw new Error(`the simulator API answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as SimulatorMessage[]
  }

  /** What the bot said to `contact`, oldest first. */
  async botLines(contact: string): Promise<SimulatorMessage[]> {
    return (await this.privateChat(contact)).filter((line) => line.self)
  }

  /** Waits until the bot has said at least `count` things to `contact`; returns them. */
  async waitForBotLines(contact: string, count: number, timeoutMs: number): Promise<SimulatorMessage[]> {
    return waitFor(
      async () => {
        const lines = await this.botLines(contact)
        return lines.length >= count ? lines : undefined
      },
      timeoutMs,
      `${count} bot line(s) in ${contact}'s private chat`,
    )
  }
}
