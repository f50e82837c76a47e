import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { FileBox } from 'file-box'
import { types, type payloads } from 'wechaty'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { simulatorCommand, type SimulatorCommand } from '@chorus/protocol'
import type { Redis, RedisKeys } from '@chorus/pool'
import { appendTranscript, markAccountAlive, markAccountGone, simulatorCommandsKey, transcriptKey } from '@chorus/wechat-simulator'

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
 * so the same group is the same channel after a restart.
 */
export class SimulatedWeChat {
  readonly mocker = new mock.Mocker()
  readonly puppet = new PuppetMock({ mocker: this.mocker })
  private self: mock.ContactMock | undefined
  private readonly contacts = new Map<string, mock.ContactMock>()
  private readonly rooms = new Map<string, mock.RoomMock>()
  private stopped = false
  private loop: Promise<void> | undefined
  private alive: NodeJS.Timeout | undefined

  constructor(private readonly options: { botName: string; redis: Redis; commands: Redis; keys: RedisKeys; logger: Logger }) {}

  /** Logs the bot's account in; call after the Wechaty bot has started. */
  login(): void {
    this.self = this.mocker.createContact({ id: `wxid_${stableId('self', this.options.botName)}`, name: this.options.botName })
    this.mocker.login(this.self)
  }

  /** Starts taking commands from the API; call once the bot is logged in. */
  async start(): Promise<void> {
    const { redis, keys } = this.options
    await redis.xgroup('CREATE', simulatorCommandsKey(keys, this.options.botName), group, '$', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error
    })
    const markAlive = () => markAccountAlive(redis, keys, this.options.botName)
    await markAlive()
    this.alive = setInterval(() => void markAlive().catch(() => undefined), aliveEveryMs)
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.alive)
    await this.loop
    await markAccountGone(this.options.redis, this.options.keys, this.options.botName).catch(() => undefined)
  }

  /** Records what the bot itself said, so the simulator API can show it. */
  async recordOwnMessage(where: { roomTopic?: string; contactName?: string }, text: string): Promise<void> {
    const key = transcriptKey(this.options.keys, this.options.botName, { room: where.roomTopic, contact: where.contactName })
    await appendTranscript(this.options.redis, key, { room: where.roomTopic ?? null, from: this.options.botName, text, self: true })
  }

  /** Makes a simulated contact say something, exactly as WeChat would deliver it. */
  say(command: SimulatorCommand): void {
    if (!this.self) throw new Error('the simulated account is not logged in')
    const talker = this.contact(command.from)
    const room = command.room ? this.room(command.room, talker) : undefined
    const mentionIds = room ? this.mentionIds(command, room) : []
    // Transcript line ids count per chat, so two chats can get the same one in the same
    // millisecond; the mock keeps one message store for the whole account.
    const messageId = `${room?.id ?? talker.id}:${command.id}`
    const messages = this.mocker.MessageMock as unknown as { load(id: string): unknown; create(p: payloads.Message): unknown }
    let exists = true
    try {
      messages.load(messageId)
    } catch {
      exists = false
    }
    // The same id again is WeChat re-delivering a message (after a reconnect, say).
    if (!exists) {
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
  }

  private contact(name: string): mock.ContactMock {
    let contact = this.contacts.get(name)
    if (!contact) {
      contact = this.mocker.createContact({ id: `wxid_${stableId('contact', name)}`, name, friend: true })
      this.contacts.set(name, contact)
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
    }
    return room
  }

  private mentionIds(command: SimulatorCommand, room: mock.RoomMock): string[] {
    const names = new Set(command.mentions)
    const botName = this.options.botName
    // "@Name" in the text mentions that member, as WeChat's client does when you pick them.
    for (const candidate of [botName, ...this.contacts.keys()]) {
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
    while (!this.stopped) {
      try {
        const result = (await commands.xreadgroup('GROUP', group, 'bot', 'COUNT', 100, 'BLOCK', 300, 'STREAMS', key, '>')) as Array<
          [string, Array<[string, string[]]>]
        > | null
        for (const [id, fields] of result?.[0]?.[1] ?? []) {
          const parsed = simulatorCommand.safeParse(JSON.parse(fields[1] ?? '{}'))
          if (parsed.success) this.say(parsed.data)
          else logger.warn({ entry: id }, 'ignoring a malformed simulator command')
          await redis.xack(key, group, id)
        }
      } catch (error) {
        if (this.stopped) break
        logger.error({ err: error }, 'simulator command loop failed')
        await new Promise((r) => setTimeout(r, 300))
      }
    }
  }
}
