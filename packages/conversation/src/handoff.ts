import type { Logger } from 'pino'
import type { ChannelKind, ConversationState, Db } from '@chorus/db'
import type { Dispatcher } from '@chorus/pool'
import type { BotSettings } from '@chorus/protocol'
import type { BotDirectory } from './bot-directory.js'
import { describeBusinessHours, withinBusinessHours } from './business-hours.js'
import type { ConversationRepository } from './conversation.repository.js'
import { HandoffRepository } from './handoff.repository.js'
import { t, type TextKey } from './i18n.js'
import { promptJobId } from './prompt-job-id.js'
import type { LiveEvents } from './live-events.js'
import type { AgentPresence } from './presence.js'
import type { ReplyService } from './reply.js'
import type { StateActor } from './state-machine.js'

/** A change someone else made first (another agent claimed it), or one the state does not allow. */
export class HandoffConflict extends Error {}

/** What asking for a person led to. */
export type HandoffRequest =
  | { kind: 'waiting' }
  | { kind: 'already'; state: ConversationState }
  /** Outside business hours: the bot keeps helping. */
  | { kind: 'closed'; hours: string }
  /** No agent online and available: the bot keeps helping. */
  | { kind: 'no_agents' }
  /** The channel's own people took it (WeCom's servicers, ChannelHandoff): Chorus's agents are not involved. */
  | { kind: 'channel' }

/**
 * A channel whose own people can take a conversation (WeCom's servicers, when the bot hands over
 * that way): asked first when a person is requested. True when it took the conversation; the
 * channel then keeps the bot silent (docs/wecom.md).
 */
export interface ChannelHandoff {
  handOver(
    conversation: { id: string; botId: string; channel: { kind: ChannelKind; externalId: string } },
    settings: BotSettings,
  ): Promise<boolean>
}

export interface StaffActor {
  id: string
  displayName: string
  role: 'admin' | 'agent'
}

export interface HandoffDeps {
  db: Db
  repo: ConversationRepository
  bots: BotDirectory
  replies: ReplyService
  dispatcher: Pick<Dispatcher, 'abortRunning'>
  presence: AgentPresence
  live: LiveEvents
  /** The channels that hand conversations to their own people; none by default. */
  channelHandoff?: ChannelHandoff
  logger: Logger
}

/**
 * Moves conversations between the bot and people (docs/handoff.md): requests, assignment,
 * claim, transfer, release, resolve, and agents' replies. Every change goes through one guarded
 * update with its event, is published live, and is told to the user in the bot's language.
 */
export class HandoffService {
  private readonly store: HandoffRepository

  constructor(private readonly deps: HandoffDeps) {
    this.store = new HandoffRepository(deps.db)
  }

  /**
   * The user (or a rule) asks for a person. Nothing changes when nobody can come. `answering`: the
   * question whose prompt asks (the bot's handoff tool): its generation is not aborted, it tells
   * the user a person is coming.
   */
  async request(conversationId: string, actor: StateActor, answering?: bigint): Promise<HandoffRequest> {
    const conversation = await this.load(conversationId)
    if (conversation.state !== 'bot') return { kind: 'already', state: conversation.state }
    const bot = await this.deps.bots.get(conversation.botId)
    if (await this.deps.channelHandoff?.handOver(conversation, bot.settings)) {
      await this.silenceBot(conversationId, answering)
      this.deps.logger.info({ conversationId, reason: actor.reason }, 'conversation handed to the channel’s own people')
      return { kind: 'channel' }
    }
    const hours = bot.settings.handoff.businessHours
    if (!withinBusinessHours(hours)) return { kind: 'closed', hours: hours ? describeBusinessHours(hours) : '' }
    const available = await this.deps.presence.available()
    if ((await this.store.eligibleAgents(conversation.botId, conversation.teamId, available)).length === 0) return { kind: 'no_agents' }
    const moved = await this.deps.repo.changeState(conversationId, 'bot', 'waiting', actor, {
      data: { handoffAt: new Date(), handoffReason: actor.reason, assigneeId: null, firstResponseAt: null, summary: null },
    })
    if (!moved) return { kind: 'already', state: (await this.load(conversationId)).state }
    await this.silenceBot(conversationId, answering)
    await this.publish(conversationId)
    this.deps.logger.info({ conversationId, reason: actor.reason }, 'handoff requested')
    return { kind: 'waiting' }
  }

  /**
   * After a failed answer: the bot's last `failuresBeforeHandoff` answers all failed → a person.
   * When nobody can come, the user is told what they can do instead, once per run of failures.
   */
  async afterFailure(conversationId: string): Promise<void> {
    const conversation = await this.load(conversationId)
    const { failuresBeforeHandoff } = (await this.deps.bots.get(conversation.botId)).settings.handoff
    if (conversation.state !== 'bot' || failuresBeforeHandoff === 0) return
    const failures = await this.store.failureStreak(conversationId, failuresBeforeHandoff + 1)
    if (failures < failuresBeforeHandoff) return
    const result = await this.request(conversationId, { type: 'system', reason: 'the bot failed to answer' })
    if (result.kind === 'waiting') {
      await this.tell(conversationId, 'handoffAfterFailures')
      await this.assign(conversationId)
      return
    }
    // A longer run of failures was told when it reached the limit.
    if (result.kind === 'already' || result.kind === 'channel' || failures > failuresBeforeHandoff) return
    if (result.kind === 'closed') await this.tell(conversationId, 'handoffUnavailableClosed', { hours: result.hours })
    else await this.tell(conversationId, 'handoffUnavailableNoAgents')
    this.deps.logger.info({ conversationId, outcome: result.kind }, 'nobody to hand over to after failed answers: the user was told')
  }

  /** Offers a waiting conversation to the next available agent with room; their id, or null. */
  async assign(conversationId: string): Promise<string | null> {
    const conversation = await this.load(conversationId)
    if (conversation.state !== 'waiting') return null
    const available = await this.deps.presence.available()
    for (const agent of await this.store.eligibleAgents(conversation.botId, conversation.teamId, available)) {
      if (!(await this.store.assignWithinCapacity(conversationId, agent))) continue
      this.deps.logger.info({ conversationId, staffId: agent.id }, 'conversation assigned')
      await this.publish(conversationId)
      await this.tell(conversationId, 'agentJoined', { agent: agent.displayName })
      return agent.id
    }
    return null
  }

  /** Assigns every waiting conversation that can be, longest waiting first; how many were. */
  async assignWaiting(): Promise<number> {
    let assigned = 0
    for (const { id } of await this.store.waiting()) if (await this.assign(id)) assigned++
    return assigned
  }

  /** An agent takes the conversation (from the queue, or from the bot directly). */
  async claim(conversationId: string, staff: StaffActor): Promise<void> {
    const conversation = await this.load(conversationId)
    if (conversation.state === 'agent' && conversation.assigneeId === staff.id) return
    if (conversation.state !== 'bot' && conversation.state !== 'waiting') {
      throw new HandoffConflict(conversation.state === 'agent' ? 'another agent has this conversation' : 'the conversation is closed')
    }
    const now = new Date()
    const moved = await this.deps.repo.changeState(conversationId, conversation.state, 'agent', this.actor(staff, 'claimed'), {
      data: {
        assigneeId: staff.id,
        assignedAt: now,
        ...(conversation.state === 'bot'
          ? { handoffAt: now, handoffReason: 'taken over by an agent', firstResponseAt: null, summary: null }
          : {}),
      },
    })
    if (!moved) throw new HandoffConflict('someone else changed this conversation first')
    if (conversation.state === 'bot') await this.silenceBot(conversationId)
    await this.publish(conversationId)
    await this.tell(conversationId, 'agentJoined', { agent: staff.displayName })
  }

  /** Hands the conversation back to the bot. */
  async release(conversationId: string, staff: StaffActor): Promise<void> {
    const conversation = await this.load(conversationId)
    if (conversation.state !== 'waiting' && conversation.state !== 'agent')
      throw new HandoffConflict(`the conversation is ${conversation.state}`)
    this.mustOwn(conversation, staff)
    const moved = await this.deps.repo.changeState(conversationId, conversation.state, 'bot', this.actor(staff, 'released to the bot'), {
      assigneeId: conversation.assigneeId,
      data: { assigneeId: null, teamId: null },
    })
    if (!moved) throw new HandoffConflict('someone else changed this conversation first')
    await this.publish(conversationId)
    const bot = await this.deps.bots.get(conversation.botId)
    await this.tell(conversationId, 'released', { bot: bot.name })
  }

  /** Closes the conversation; without a rating from the agent, the user is asked for one. */
  async resolve(conversationId: string, staff: StaffActor, rating?: number): Promise<void> {
    const conversation = await this.load(conversationId)
    if (conversation.state === 'resolved') throw new HandoffConflict('the conversation is already resolved')
    if (conversation.state === 'agent') this.mustOwn(conversation, staff)
    const moved = await this.deps.repo.changeState(conversationId, conversation.state, 'resolved', this.actor(staff, 'resolved'), {
      assigneeId: conversation.assigneeId,
      data: rating ? { rating } : { ratingAskedAt: new Date() },
    })
    if (!moved) throw new HandoffConflict('someone else changed this conversation first')
    await this.publish(conversationId)
    await this.tell(conversationId, rating ? 'resolved' : 'resolvedSurvey')
  }

  /** Gives the conversation to another agent, or back to a team's queue. */
  async transfer(conversationId: string, staff: StaffActor, to: { staffId: string } | { teamId: string }): Promise<void> {
    const conversation = await this.load(conversationId)
    if (conversation.state !== 'agent' && conversation.state !== 'waiting')
      throw new HandoffConflict(`the conversation is ${conversation.state}`)
    this.mustOwn(conversation, staff)
    if ('staffId' in to) {
      const target = await this.store.staffName(to.staffId)
      if (!target || target.disabled) throw new HandoffConflict('no such colleague')
      const moved = await this.deps.repo.changeState(
        conversationId,
        conversation.state,
        'agent',
        this.actor(staff, `transferred to ${target.displayName || target.email}`),
        {
          assigneeId: conversation.assigneeId,
          data: { assigneeId: target.id, assignedAt: new Date() },
        },
      )
      if (!moved) throw new HandoffConflict('someone else changed this conversation first')
      await this.publish(conversationId)
      await this.tell(conversationId, 'agentJoined', { agent: target.displayName || target.email })
      return
    }
    const moved = await this.deps.repo.changeState(
      conversationId,
      conversation.state,
      'waiting',
      this.actor(staff, 'transferred to a team'),
      {
        assigneeId: conversation.assigneeId,
        data: { assigneeId: null, teamId: to.teamId },
      },
    )
    if (!moved) throw new HandoffConflict('someone else changed this conversation first')
    await this.publish(conversationId)
    await this.assign(conversationId)
  }

  /** The assignee's reply: stored, then delivered to the user's channel signed with their name. */
  async reply(conversationId: string, staff: StaffActor, text: string): Promise<{ id: bigint; createdAt: Date }> {
    const conversation = await this.load(conversationId)
    if (conversation.state !== 'agent' || conversation.assigneeId !== staff.id) {
      throw new HandoffConflict('claim the conversation before replying')
    }
    const message = await this.deps.replies.announce(this.target(conversation), text, { role: 'agent', staffId: staff.id })
    await this.store.markFirstResponse(conversationId, message.createdAt)
    return message
  }

  /** A private note for colleagues: stored with the conversation, never sent. */
  async note(conversationId: string, staff: StaffActor, text: string): Promise<{ id: bigint; createdAt: Date }> {
    const conversation = await this.load(conversationId)
    const note = await this.store.insertNote(conversationId, staff.id, text)
    await this.deps.live.publish({ type: 'message', conversationId, id: String(note.id), role: 'note', botId: conversation.botId })
    return note
  }

  async typing(conversationId: string, staff: StaffActor): Promise<void> {
    const conversation = await this.load(conversationId)
    await this.deps.live.publish({ type: 'typing', conversationId, staffId: staff.id, botId: conversation.botId })
  }

  /** A user's 1–5 answer to the satisfaction question; false when already rated. */
  rate(conversationId: string, rating: number): Promise<boolean> {
    return this.store.rate(conversationId, rating)
  }

  /**
   * The conversation's questions waiting for the model become the person's (so a queued job finds
   * nothing left to answer), and a generation under way is aborted. Queued jobs are not removed:
   * they hold the conversation's place, and after a release answer whatever is new by then.
   */
  private async silenceBot(conversationId: string, answering?: bigint): Promise<void> {
    for (const id of await this.store.takeQueued(conversationId)) {
      if (id !== answering) await this.deps.dispatcher.abortRunning(promptJobId(id))
    }
  }

  private mustOwn(conversation: { state: ConversationState; assigneeId: string | null }, staff: StaffActor): void {
    if (conversation.state === 'agent' && conversation.assigneeId !== staff.id && staff.role !== 'admin') {
      throw new HandoffConflict('another agent has this conversation')
    }
  }

  private actor(staff: StaffActor, reason: string): StateActor {
    return { type: 'staff', id: staff.id, reason }
  }

  private async load(conversationId: string) {
    const conversation = await this.store.findConversation(conversationId)
    if (!conversation) throw new HandoffConflict('no such conversation')
    return conversation
  }

  private target(conversation: { id: string; botId: string; channel: { kind: ChannelKind } }) {
    return { conversationId: conversation.id, channelKind: conversation.channel.kind, botId: conversation.botId }
  }

  private async publish(conversationId: string): Promise<void> {
    const c = await this.load(conversationId)
    await this.deps.live.publish({
      type: 'conversation',
      id: c.id,
      state: c.state,
      assigneeId: c.assigneeId,
      botId: c.botId,
      teamId: c.teamId,
    })
  }

  /** Tells the user, in the bot's language, what happened to their conversation. */
  private async tell(conversationId: string, key: TextKey, values?: Record<string, string | number>): Promise<void> {
    const conversation = await this.load(conversationId)
    const { settings } = await this.deps.bots.get(conversation.botId)
    await this.deps.replies.announce(this.target(conversation), t(key, settings.language, values), { role: 'system', notice: key })
  }
}
