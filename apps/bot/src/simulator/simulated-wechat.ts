import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { FileBox } from 'file-box'
import { types, type payloads } from 'wechaty'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { simulatorCommand, type SimulatorCommand } from '@chorus/protocol'
import type { ConversationKeys } from '@chorus/conversation'
import { ensureConsumerGroup, StreamAcks, type RedisClient } from '@chorus/redis'
import {
  appendTranscript,
  loadWorld,
  markAccountAlive,
  markAccountGone,
  rememberWorld,
  simulatorCommandsKey,
  transcriptKey,
  type SimulatedWorld,
} from '@chorus/wechat-simulator'

const group = 'bot'
const messageTypes: Record<SimulatorCommand['kind'], types.Message> = {
  text: types.Message.Text,
  image: types.Message.Image,
  voice: types.Message.Audio,
  file: types.Message.Attachment,
  link: types.Message.Url,
  mini_program: types.Message.MiniProgram,
  red_packet: types.Message.RedEnvelope,
}
const aliveEveryMs = 1500

function stableId(kind: string, name: string): string {
  return createHash('sha1').update(`${kind}:${name}`).digest('hex').slice(0, 16)
}

/**
 * The WeChat simulator: a mock-puppet world whose contacts and groups are created on first use
 * and driven by commands from the API (`POST /api/simulator/messages`). Ids derive from names,
 * so the same group is the same channel after a restart; the contacts and groups themselves are
 * kept in Redis, so a bot process that starts again can still answer them, as on WeChat.
 */
export class SimulatedWeChat {
  readonly mocker = new mock.Mocker()
  readonly puppet = new PuppetMock({ mocker: this.mocker })
  private self: mock.ContactMock | undefined
  private readonly contacts = new Map<string, mock.ContactMock>()
  private readonly rooms = new Map<string, mock.RoomMock>()
  private readonly members = new Map<string, string[]>()
  private stopped = false
  private loop: Promise<void> | undefined
  private alive: NodeJS.Timeout | undefined
  /** Contacts met and groups joined since the world was last written to Redis. */
  private worldChanges: SimulatedWorld | undefined
  /** Command entries whose message the bot has not handled yet, by message id. */
  private readonly unhandled = new Map<string, string[]>()
  /** A message handled is acknowledged with the others of the moment (the bot stores messages idempotently). */
  private acks: StreamAcks | undefined

  constructor(
    private readonly options: { botName: string; redis: RedisClient; commands: RedisClient; keys: ConversationKeys; logger: Logger },
  ) {}

  /** Logs the bot's account in; call after the Wechaty bot has started. */
  login(): void {
    this.self = this.mocker.createContact({ id: `wxid_${stableId('self', this.options.botName)}`, name: this.options.botName })
    this.mocker.login(this.self)
  }

  /** Starts taking commands from the API; call once the bot is logged in. */
  async start(): Promise<void> {
    const { redis, keys, botName } = this.options
    const world = await loadWorld(redis, keys, botName)
    for (const name of world.contacts) this.contact(name)
    for (const [topic, members] of Object.entries(world.rooms)) for (const name of members) this.room(topic, this.contact(name))
    await ensureConsumerGroup(redis, simulatorCommandsKey(keys, botName), group, '$')
    const markAlive = () => markAccountAlive(redis, keys, this.options.botName)
    await markAlive()
    this.alive = setInterval(() => void markAlive().catch(() => undefined), aliveEveryMs)
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.alive)
    await this.loop
    await this.acks?.flush().catch(() => undefined)
    await markAccountGone(this.options.redis, this.options.keys, this.options.botName).catch(() => undefined)
  }

  /**
   * The bot is done with a message it received (stored and decided): WeChat need not deliver it
   * again. Until then its command stays pending, and a bot process that dies before gets it again
   * when it starts, as WeChat re-delivers what a client never acknowledged.
   */
  async handled(messageId: string): Promise<void> {
    const entries = this.unhandled.get(messageId)
    if (!entries) return
    this.unhandled.delete(messageId)
    this.acks ??= new StreamAcks(this.options.redis, simulatorCommandsKey(this.options.keys, this.options.botName), group)
    await Promise.all(entries.map((entry) => this.acks!.ack(entry)))
  }

  /** Records what the bot itself said, so the simulator API can show it. */
  async recordOwnMessage(where: { roomTopic?: string; contactName?: string }, text: string): Promise<void> {
    const key = transcriptKey(this.options.keys, this.options.botName, { room: where.roomTopic, contact: where.contactName })
    await appendTranscript(this.options.redis, key, { room: where.roomTopic ?? null, from: this.options.botName, text, self: true })
  }

  /** Makes a simulated contact say something, exactly as WeChat would deliver it; returns the message's id. */
  say(command: SimulatorCommand): string {
    if (!this.self) throw new Error('the simulated account is not logged in')
    const talker = this.contact(command.from)
    const room = command.room ? this.room(command.room, talker) : undefined
    const mentionIds = room ? this.mentionIds(command, room) : []
    // Transcript line ids count per chat, so two chats can get the same one in the same
    // millisecond; the mock keeps one message store for the whole account.
    const messageId = `${room?.id ?? talker.id}:${command.id}`
    const messages = this.mocker.MessageMock as unknown as { create(p: payloads.Message): unknown }
    // The same id again is WeChat re-delivering a message (after a reconnect, say). Looked up in
    // the mock's payloads rather than by its load(), which throws (a stack trace) for a new one.
    if (!this.mocker.cacheMessagePayload.has(messageId)) {
      const base = {
        id: messageId,
        talkerId: talker.id,
        timestamp: Date.now(),
        type: messageTypes[command.kind],
        text: command.kind === 'text' ? command.text : '',
      }
      messages.create(
        room ? { ...base, roomId: room.id, mentionIdList: mentionIds } : ({ ...base, listenerId: this.self.id } as payloads.Message),
      )
      // The picture of an image message, where Wechaty's toFileBox() finds it.
      if (command.kind === 'image' && command.image) {
        this.mocker.cacheFileBoxPayload.set(messageId, FileBox.fromBase64(command.image, 'image.png').toJSON())
      }
    }
    this.puppet.emit('message', { messageId })
    return messageId
  }

  private contact(name: string): mock.ContactMock {
    let contact = this.contacts.get(name)
    if (!contact) {
      contact = this.mocker.createContact({ id: `wxid_${stableId('contact', name)}`, name, friend: true })
      this.contacts.set(name, contact)
      this.worldChanged().contacts.push(name)
    }
    return contact
  }

  private room(topic: string, member: mock.ContactMock): mock.RoomMock {
    let room = this.rooms.get(topic)
    if (!room) {
      room = this.mocker.createRoom({ id: `${stableId('room', topic)}@chatroom`, topic, memberIdList: [this.self!.id], adminIdList: [] })
      this.rooms.set(topic, room)
    }
    const payload = room.payload
    if (!payload.memberIdList.includes(member.id)) {
      payload.memberIdList = [...payload.memberIdList, member.id]
      this.mocker.roomPayload(room.id, payload)
      const members = [...(this.members.get(topic) ?? []), member.payload.name]
      this.members.set(topic, members)
      this.worldChanged().rooms[topic] = members
    }
    return room
  }

  /**
   * The changes to the world not written yet: written together once the commands being handled
   * now are (one round trip for a batch of them), for the next bot process. A change that is lost
   * is made again by its contact's next message.
   */
  private worldChanged(): SimulatedWorld {
    if (this.worldChanges) return this.worldChanges
    const changes: SimulatedWorld = { contacts: [], rooms: {} }
    this.worldChanges = changes
    queueMicrotask(() => {
      this.worldChanges = undefined
      rememberWorld(this.options.redis, this.options.keys, this.options.botName, changes).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not keep the simulated world in Redis'),
      )
    })
    return changes
  }

  private mentionIds(command: SimulatorCommand, room: mock.RoomMock): string[] {
    const names = new Set(command.mentions)
    const botName = this.options.botName
    // "@Name" in the text mentions that member, as WeChat's client does when you pick them (only
    // the group's members can be: the account's other contacts need not be looked at).
    for (const candidate of [botName, ...(this.members.get(room.payload.topic) ?? [])]) {
      if (command.text.includes(`@${candidate}`)) names.add(candidate)
    }
    const ids: string[] = []
    for (const name of names) {
      const id = name === botName ? this.self!.id : this.contacts.get(name)?.id
      if (id && (id === this.self!.id || room.payload.memberIdList.includes(id))) ids.push(id)
    }
    return ids
  }

  private async run(): Promise<void> {
    const { commands, redis, keys, logger } = this.options
    const key = simulatorCommandsKey(keys, this.options.botName)
    // First the commands an earlier bot process took but never handled (it died), then new ones.
    let cursor = '0'
    while (!this.stopped) {
      try {
        const result = (await commands.xreadgroup('GROUP', group, 'bot', 'COUNT', 100, 'BLOCK', 300, 'STREAMS', key, cursor)) as Array<
          [string, Array<[string, string[] | null]>]
        > | null
        const entries = result?.[0]?.[1] ?? []
        if (cursor !== '>') cursor = entries.at(-1)?.[0] ?? '>'
        for (const [id, fields] of entries) {
          const parsed = fields ? simulatorCommand.safeParse(JSON.parse(fields[1] ?? '{}')) : undefined
          if (!parsed?.success) {
            if (fields) logger.warn({ entry: id }, 'ignoring a malformed simulator command')
            await redis.xack(key, group, id)
            continue
          }
          const messageId = this.say(parsed.data)
          this.unhandled.set(messageId, [...(this.unhandled.get(messageId) ?? []), id])
        }
      } catch (error) {
        if (this.stopped) break
        // Redis restarted and lost the stream with its group: start again on the commands sent since.
        if (error instanceof Error && error.message.includes('NOGROUP')) {
          // '0': every command still in the stream.
          await ensureConsumerGroup(redis, key, group, '0').catch(() => undefined)
          continue
        }
        logger.error({ err: error }, 'simulator command loop failed')
        await new Promise((r) => setTimeout(r, 300))
      }
    }
  }
}
