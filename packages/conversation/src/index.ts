export { decideAddressing, formatQuote, parseQuote, type Addressing, type MessageFacts } from './addressing.js'
export { BotDirectory, findBlockedWord, type BotProfile } from './bot-directory.js'
export { parseCommand, type Command } from './commands.js'
export { t, type TextKey } from './i18n.js'
export { markdownToWeChat, splitReply } from './reply-format.js'
export { askBackMenu } from './ask-back.js'
export { buildContext, defaultPersona, type HistoryItem } from './context.js'
export { ConversationRepository } from './conversation.repository.js'
export { ConversationKeys } from './keys.js'
export { defaultRetryPolicy, OutboxConsumer, type RetryPolicy } from './delivery.js'
export { ChannelUnavailable, UndeliverableError, type DeliveryFailure, type DeliveryProgress } from './delivery-failure.js'
export { IngestService, ingestSettingsFrom, type IngestSettings } from './ingest.js'
export { promptJobId } from './prompt-job-id.js'
export { describeBusinessHours, withinBusinessHours } from './business-hours.js'
export { HandoffConflict, HandoffService, type ChannelHandoff, type HandoffDeps, type HandoffRequest, type StaffActor } from './handoff.js'
export { LiveEvents, type LiveEvent } from './live-events.js'
export { AgentPresence, presenceTtlMs } from './presence.js'
export {
  groundedMessages,
  planAnswer,
  PromptPreparer,
  type AnswerPlan,
  type ConversationPrompt,
  type ConversationPromptContext,
  type KnowledgeLookup,
  type PrepareSettings,
} from './prepare.js'
export { RecoverySweep, type RecoverySweepOptions } from './recovery-sweep.js'
export { conversationServices, type ConversationServices } from './services.js'
export { outboxName } from './outbox-entry.js'
export { busyNotice, citation, failureNotice, ReplyService } from './reply.js'
export { botMayAnswer, canTransition, transition, transitions, type StateActor } from './state-machine.js'
export type { Delivery, InboundMessage, IngestOutcome, MessageKind, ReplyScreen, Screening } from './types.js'
export { SerialByKey } from './serial-by-key.js'
export { builtinTools } from './builtin-tools.js'
export { isYes, pendingConfirmation, type ToolAnswerRecord, type ToolSource } from './tool-answers.js'
