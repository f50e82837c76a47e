import type { SimulatorMessage } from '@chorus/protocol'
import { SimulatorClient } from './simulator-client.js'

/** The simulator client narrowed to private chats: a contact talks to the bot one to one. */
export class SimulatorChat {
  private readonly client: SimulatorClient

  constructor(apiUrl: string) {
    this.client = new SimulatorClient(apiUrl)
  }

  /** `from` says `text` to the bot in a private chat; resolves with the line's id once the API took it. */
  say(from: string, text: string): Promise<string> {
    return this.client.say(undefined, { from, text })
  }

  /** Everything said in `contact`'s private chat with the bot, oldest first. */
  privateChat(contact: string): Promise<SimulatorMessage[]> {
    return this.client.transcript({ contact })
  }

  /** What the bot said to `contact`, oldest first. */
  botLines(contact: string): Promise<SimulatorMessage[]> {
    return this.client.botLines({ contact })
  }

  /** Waits until the bot has said at least `count` things to `contact`; returns them. */
  waitForBotLines(contact: string, count: number, timeoutMs: number): Promise<SimulatorMessage[]> {
    return this.client.waitForBotLines({ contact }, count, timeoutMs)
  }
}
