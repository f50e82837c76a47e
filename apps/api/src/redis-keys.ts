import { ConversationKeys } from '@chorus/conversation'

/** The API's own Redis keys, beside the conversation package's. */
export class ApiRedisKeys extends ConversationKeys {
  /** Pub/sub channel of signals every API process acts on (a member of staff disabled, a `/v1` key revoked). */
  get fleetSignals(): string {
    return `${this.prefix}:fleet`
  }

  /** Pub/sub channel of messages for mini-program users with the app open. */
  get miniProgramLive(): string {
    return `${this.prefix}:mp:live`
  }

  /** Set while a mini-program user has the app open (their live stream is connected). */
  miniProgramOnline(endUserId: string): string {
    return `${this.prefix}:mp:online:${endUserId}`
  }
}
